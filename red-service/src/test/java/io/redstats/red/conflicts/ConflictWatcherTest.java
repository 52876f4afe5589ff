package io.redstats.red.conflicts;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class ConflictWatcherTest {

  @Test
  void pageGivesTheRefusedSideOfEachConflictAndTheNextCursor() {
    String body =
        "{\"conflicts\":[{\"image_id\":123,"
            + "\"kept\":{\"image_id\":123,\"client_id\":7,\"timestamp\":1763900000123,\"red\":0.85},"
            + "\"refused\":{\"image_id\":123,\"client_id\":8,"
            + "\"timestamp\":\"2025-11-23T20:13:20.124+08:00\",\"red\":0.5},"
            + "\"detected_at\":1763900000999}],\"next\":\"opaque/+=\"}";

    ConflictWatcher.Page page = ConflictWatcher.parse(body);

    assertThat(page.refused())
        .containsExactly(
            new ConflictWatcher.Refused(123, 8, 1763900000124L, 50_000, 1763900000999L));
    assertThat(page.next()).isEqualTo("opaque/+=");
  }

  @Test
  void emptyPageWithoutCursorHasNoNext() {
    ConflictWatcher.Page page = ConflictWatcher.parse("{\"conflicts\":[],\"next\":null}");

    assertThat(page.refused()).isEmpty();
    assertThat(page.next()).isNull();
  }

  @Test
  void cursorIsEncodedIntoTheQuery() {
    assertThat(ConflictWatcher.conflictsUri(URI.create("http://h:8081/"), "a/b+c=", 500))
        .isEqualTo(URI.create("http://h:8081/conflicts?limit=500&after=a%2Fb%2Bc%3D"));
    assertThat(ConflictWatcher.conflictsUri(URI.create("http://h:8081"), null, 10))
        .isEqualTo(URI.create("http://h:8081/conflicts?limit=10"));
  }
}
