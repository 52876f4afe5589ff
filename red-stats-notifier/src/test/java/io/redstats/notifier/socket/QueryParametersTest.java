package io.redstats.notifier.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class QueryParametersTest {

  @Test
  void percentEncodedUtf8IsDecodedLikeTheServletDoes() {
    QueryParameters query =
        QueryParameters.parse(
            "min_red=0.5&resume=a%2Bb+c&name=%C3%A9%F0%9F%94%B4&flag&min_red=0.9");

    assertThat(query.get("min_red")).isEqualTo("0.5");
    assertThat(query.get("resume")).isEqualTo("a+b c");
    assertThat(query.get("name")).isEqualTo("é\uD83D\uDD34");
    assertThat(query.get("flag")).isEmpty();
    assertThat(query.get("absent")).isNull();
  }

  @Test
  void noQueryHasNoParameters() {
    assertThat(QueryParameters.parse(null).get("min_red")).isNull();
    assertThat(QueryParameters.parse("").get("min_red")).isNull();
    assertThat(QueryParameters.parse("&&").get("min_red")).isNull();
  }

  @Test
  void valueThatIsNotUtf8IsRefusedNamingTheParameter() {
    // Truncated, stray continuation, overlong, surrogate, beyond U+10FFFF, never-valid bytes.
    for (String bytes :
        new String[] {
          "%C3%28", "%A0%A1", "%E2%82", "%C0%AF", "%ED%A0%80", "%F4%90%80%80", "%FF%FE"
        }) {
      assertThatThrownBy(() -> QueryParameters.parse("min_red=0.5&resume=x" + bytes))
          .isInstanceOf(ProtocolException.class)
          .hasMessageContaining("UTF-8")
          .extracting(e -> ((ProtocolException) e).field())
          .isEqualTo("resume");
    }
  }

  @Test
  void malformedPercentEscapeIsRefusedNamingTheParameter() {
    for (String value : new String[] {"0.5%", "0.5%4", "%G0", "%\uFF10\uFF10"}) {
      assertThatThrownBy(() -> QueryParameters.parse("min_red=" + value))
          .isInstanceOf(ProtocolException.class)
          .hasMessageContaining("percent-escape")
          .extracting(e -> ((ProtocolException) e).field())
          .isEqualTo("min_red");
    }
  }

  @Test
  void nameThatIsNotUtf8IsRefusedAsTheQuery() {
    assertThatThrownBy(() -> QueryParameters.parse("min_red=0.5&%FF=1"))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("a query parameter name is not valid UTF-8 once percent-decoded")
        .extracting(e -> ((ProtocolException) e).field())
        .isNull();
  }
}
