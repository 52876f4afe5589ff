package io.redstats.notifier.socket;

/**
 * Who is subscribed and whose images it sees.
 *
 * @param clientId the client the token acts for; null for admin tokens
 * @param seesClientId the only client whose images it is alerted about; null for every client
 */
public record Subscriber(Long clientId, Long seesClientId) {

  public boolean sees(long imageClientId) {
    return seesClientId == null || seesClientId == imageClientId;
  }
}
