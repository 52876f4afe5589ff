package io.redstats.contract.event;

/** The JSON field names of an event, on the wire and in Kafka. */
public final class EventFields {
  public static final String IMAGE_ID = "image_id";
  public static final String CLIENT_ID = "client_id";
  public static final String TIMESTAMP = "timestamp";
  public static final String RED = "red";

  private EventFields() {}
}
