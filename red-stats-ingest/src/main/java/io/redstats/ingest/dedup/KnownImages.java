package io.redstats.ingest.dedup;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.redstats.contract.auth.Scopes;
import io.redstats.contract.auth.TokenMinter;
import io.redstats.contract.event.EventJson;
import io.redstats.contract.event.StatEvent;
import io.redstats.kit.ServiceKitProperties;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the dedup already holds for an image_id, asked before a request is acknowledged so that a
 * repeat with other content is refused (409) instead of silently dropped later.
 *
 * <p>Kafka Streams interactive queries: the store of an image_id's partition lives on the node
 * whose task owns it ({@link KafkaStreams#queryMetadataForKey}); this node reads its own tasks'
 * stores and asks each peer once per request for the ids it owns ({@code POST
 * /internal/images/lookup}, with a short-lived token this node signs itself).
 *
 * <p>Best effort by design: an id whose owner is unknown (a rebalance), unreachable or slow is
 * treated as unknown and the request goes on. The dedup topology still keeps the first event and
 * records the conflict on the conflicts topic, so a conflict missed here is never silent.
 */
@Component
public class KnownImages {

  private static final Logger log = LoggerFactory.getLogger(KnownImages.class);

  /** Peers' answers are signed for this long; renewed when less than half is left. */
  private static final Duration PEER_TOKEN_TTL = Duration.ofMinutes(10);

  private static final Serializer<Long> KEY = Serdes.Long().serializer();
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final DedupStreams dedup;
  private final TokenMinter minter;
  private final Duration peerTimeout;
  private final HttpClient http;
  private final Counter unanswered;
  private volatile PeerToken peerToken;

  private record PeerToken(String value, Instant renewAfter) {}

  public KnownImages(
      DedupStreams dedup,
      DedupProperties properties,
      MeterRegistry registry,
      ServiceKitProperties kit) {
    this.dedup = dedup;
    this.minter = new TokenMinter(kit.security().secret());
    this.peerTimeout = properties.peerTimeout();
    this.http = HttpClient.newBuilder().connectTimeout(peerTimeout).build();
    this.unanswered =
        Counter.builder("redstats.ingest.known.unanswered")
            .description(
                "image_id look-ups a peer or a rebalancing store did not answer; accepted unchecked")
            .register(registry);
  }

  /**
   * The first event the dedup holds for each id it can see now. Ids it cannot see, or has never
   * seen, are absent.
   */
  public Map<Long, StatEvent> find(Collection<Long> imageIds) {
    KafkaStreams streams = dedup.running();
    if (streams == null || imageIds.isEmpty()) {
      return Map.of();
    }
    HostInfo self = dedup.self();
    if (self == null) {
      return findLocal(imageIds);
    }
    List<Long> local = new ArrayList<>();
    Map<HostInfo, List<Long>> remote = new HashMap<>();
    for (long id : imageIds) {
      KeyQueryMetadata owner = streams.queryMetadataForKey(DedupTopology.STORE, id, KEY);
      if (owner == null || owner == KeyQueryMetadata.NOT_AVAILABLE) {
        unanswered.increment();
      } else if (owner.activeHost().equals(self)) {
        local.add(id);
      } else {
        remote.computeIfAbsent(owner.activeHost(), h -> new ArrayList<>()).add(id);
      }
    }
    Map<Long, StatEvent> found = new HashMap<>(findLocal(local));
    remote.forEach((host, ids) -> found.putAll(askPeer(host, ids)));
    return found;
  }

  /** What this node's own active tasks hold for these ids; the peers' questions end here. */
  public Map<Long, StatEvent> findLocal(Collection<Long> imageIds) {
    KafkaStreams streams = dedup.running();
    if (streams == null || imageIds.isEmpty()) {
      return Map.of();
    }
    ReadOnlyKeyValueStore<Long, ValueAndTimestamp<StatEvent>> store;
    try {
      store =
          streams.store(
              StoreQueryParameters.fromNameAndType(
                  DedupTopology.STORE, QueryableStoreTypes.timestampedKeyValueStore()));
    } catch (InvalidStateStoreException e) {
      unanswered.increment(imageIds.size());
      return Map.of(); // starting or rebalancing: accept unchecked, the dedup still decides
    }
    Map<Long, StatEvent> found = new HashMap<>();
    for (long id : Set.copyOf(imageIds)) {
      try {
        ValueAndTimestamp<StatEvent> first = store.get(id);
        if (first != null) {
          found.put(id, first.value());
        }
      } catch (InvalidStateStoreException e) {
        unanswered.increment(); // the partition moved away during this request
      }
    }
    return found;
  }

  private Map<Long, StatEvent> askPeer(HostInfo host, List<Long> ids) {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create("http://" + host.host() + ":" + host.port() + "/internal/images/lookup"))
            .timeout(peerTimeout)
            .header("Authorization", "Bearer " + peerToken())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(ids.toString()))
            .build();
    try {
      HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) {
        throw new IOException("answered " + response.statusCode());
      }
      return readEvents(response.body());
    } catch (IOException | RuntimeException e) {
      unanswered.increment(ids.size());
      log.warn(
          "peer {} did not say which of {} images it knows: {}", host, ids.size(), e.toString());
      return Map.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      unanswered.increment(ids.size());
      return Map.of();
    }
  }

  /** Reads what {@link #writeEvents} wrote. */
  static Map<Long, StatEvent> readEvents(byte[] body) {
    Map<Long, StatEvent> events = new HashMap<>();
    for (JsonNode node : JSON.readTree(body)) {
      StatEvent event = EventJson.fromBytes(node.toString().getBytes(StandardCharsets.UTF_8));
      events.put(event.imageId(), event);
    }
    return events;
  }

  /** A JSON array of events in the canonical form. */
  public static String writeEvents(Collection<StatEvent> events) {
    StringBuilder out = new StringBuilder("[");
    for (StatEvent event : events) {
      if (out.length() > 1) {
        out.append(',');
      }
      out.append(EventJson.toJson(event));
    }
    return out.append(']').toString();
  }

  private String peerToken() {
    PeerToken token = peerToken;
    if (token == null || Instant.now().isAfter(token.renewAfter())) {
      token =
          new PeerToken(
              minter.mint("ingest-peer", null, List.of(Scopes.INGEST), PEER_TOKEN_TTL),
              Instant.now().plus(PEER_TOKEN_TTL.dividedBy(2)));
      peerToken = token;
    }
    return token.value();
  }
}
