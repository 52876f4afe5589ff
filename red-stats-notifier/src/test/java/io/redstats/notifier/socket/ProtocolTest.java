package io.redstats.notifier.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redstats.contract.event.StatEvent;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ProtocolTest {

  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  @Test
  void alertCarriesTheEventWithFiveDecimalsAndTheToken() {
    String alert = Protocol.alert(new StatEvent(123, 7, 1763900000123L, 85_000), "AQEAAQ");

    assertThat(alert)
        .isEqualTo(
            "{\"type\":\"alert\",\"image_id\":123,\"client_id\":7,"
                + "\"timestamp\":1763900000123,\"red\":0.85000,\"resume\":\"AQEAAQ\"}");
    JsonNode node = MAPPER.readTree(alert);
    assertThat(node.get("red").decimalValue()).isEqualByComparingTo("0.85");
  }

  @Test
  void minRedParameterIsReadAtFiveDecimals() {
    assertThat(Protocol.parseMinRedParameter("0.85")).isEqualTo(85_000);
    assertThat(Protocol.parseMinRedParameter("0")).isZero();
    assertThat(Protocol.parseMinRedParameter("1")).isEqualTo(100_000);
    assertThat(Protocol.parseMinRedParameter("0.850005")).isEqualTo(85_001);
  }

  @Test
  void badMinRedParameterNamesTheField() {
    for (String bad : new String[] {null, "", "abc", "-0.1", "1.00001", "NaN"}) {
      assertThatThrownBy(() -> Protocol.parseMinRedParameter(bad))
          .isInstanceOf(ProtocolException.class)
          .extracting(e -> ((ProtocolException) e).field())
          .isEqualTo("min_red");
    }
  }

  @Test
  void minRedParameterRefusalsSayWhatIsWrong() {
    assertThatThrownBy(() -> Protocol.parseMinRedParameter(""))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("is required");
    assertThatThrownBy(() -> Protocol.parseMinRedParameter("1.00001"))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("must be between 0 and 1");
    assertThatThrownBy(() -> Protocol.parseThresholdChange("{\"min_red\":1.5}"))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("must be between 0 and 1");
  }

  @Test
  void minRedParameterTakesOnlyPlainAsciiDecimals() {
    assertThat(Protocol.parseMinRedParameter(".5")).isEqualTo(50_000);
    assertThat(Protocol.parseMinRedParameter("1.")).isEqualTo(100_000);
    // NUL, ARABIC-INDIC and FULLWIDTH zero (BigDecimal reads both as 0), spaces around, signs,
    // exponents, hex, and 33 characters.
    for (String bad :
        new String[] {
          "0.5\u0000",
          "0.5\u0660",
          "0.5\uff10",
          "\u0660.5",
          " 0.5",
          "0.5 ",
          "+0.5",
          "5e-1",
          "1e-999999999",
          "0x1p-1",
          ".",
          "0." + "0".repeat(31)
        }) {
      assertThatThrownBy(() -> Protocol.parseMinRedParameter(bad))
          .as(bad)
          .isInstanceOf(ProtocolException.class)
          .hasMessage("must be a decimal number between 0 and 1, like 0.85")
          .extracting(e -> ((ProtocolException) e).field())
          .isEqualTo("min_red");
    }
  }

  @Test
  void thresholdChangeMessageIsParsed() {
    assertThat(Protocol.parseThresholdChange("{\"min_red\":0.9}")).isEqualTo(90_000);
    assertThat(Protocol.parseThresholdChange("{\"min_red\":1}")).isEqualTo(100_000);
  }

  @Test
  void badThresholdChangeMessagesAreRefused() {
    for (String bad :
        new String[] {
          "not json",
          "[1]",
          "{}",
          "{\"min_red\":\"0.9\"}",
          "{\"min_red\":\"0.5\u0660\"}",
          "{\"min_red\":1.5}"
        }) {
      assertThatThrownBy(() -> Protocol.parseThresholdChange(bad))
          .isInstanceOf(ProtocolException.class);
    }
  }

  @Test
  void authMessageGivesItsToken() {
    assertThat(Protocol.parseAuth("{\"type\":\"auth\",\"token\":\"a.b.c\"}")).isEqualTo("a.b.c");
  }

  @Test
  void anythingButAnAuthMessageWithATokenIsRefused() {
    for (String bad :
        new String[] {
          "",
          "a.b.c",
          "{\"min_red\":0.5}",
          "{\"type\":\"auth\"}",
          "{\"type\":\"auth\",\"token\":\"\"}",
          "{\"type\":\"auth\",\"token\":42}",
          "{\"type\":\"AUTH\",\"token\":\"a.b.c\"}",
          "[\"auth\",\"a.b.c\"]"
        }) {
      assertThatThrownBy(() -> Protocol.parseAuth(bad))
          .as(bad)
          .isInstanceOf(ProtocolException.class);
    }
  }

  @Test
  void authMessageOnAnAuthenticatedStreamIsAnErrorNotAThreshold() {
    assertThatThrownBy(
            () -> Protocol.parseThresholdChange("{\"type\":\"auth\",\"token\":\"a.b.c\"}"))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("already authenticated");
  }

  @Test
  void subscribedCarriesTheConnectionKeyWhenThereIsOne() {
    UUID key = UUID.randomUUID();
    JsonNode subscribed =
        MAPPER.readTree(Protocol.subscribed(new Subscriber(7L, 7L), 85_000, "tok", key));

    assertThat(subscribed.get("connection").stringValue()).isEqualTo(key.toString());
  }

  @Test
  void ackAndSubscribedMessagesAreJson() {
    JsonNode ack = MAPPER.readTree(Protocol.ack(90_000));
    JsonNode subscribed =
        MAPPER.readTree(Protocol.subscribed(new Subscriber(7L, 7L), 85_000, "tok"));

    assertThat(ack.get("type").stringValue()).isEqualTo("ack");
    assertThat(ack.get("min_red").decimalValue()).isEqualByComparingTo("0.9");
    assertThat(subscribed.get("type").stringValue()).isEqualTo("subscribed");
    assertThat(subscribed.get("sees").stringValue()).isEqualTo("own");
    assertThat(subscribed.get("resume").stringValue()).isEqualTo("tok");
  }
}
