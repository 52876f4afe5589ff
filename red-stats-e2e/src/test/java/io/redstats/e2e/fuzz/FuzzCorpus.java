package io.redstats.e2e.fuzz;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import io.redstats.e2e.Images;
import io.redstats.e2e.fuzz.FuzzCase.Frame;
import io.redstats.e2e.fuzz.FuzzCase.Request;
import io.redstats.e2e.fuzz.FuzzCase.Target;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.zip.CRC32;

/**
 * The bad-input corpus: a fixed list of cases per endpoint and category, then VARIATIONS rounds of
 * generated ones drawn from a {@link Random} seeded with SEED, so a run is repeatable from its
 * seed. Every case carries at least one defect that a correct service must refuse; where a valid
 * body is sent (a header, a token or a limit is what is wrong) its events use {@link #CLIENT_ID}
 * and image ids from {@link #IMAGE_ID_BASE}, so a wrongly stored row is found.
 *
 * <p>Why not jqwik: its strength is shrinking values fed to a function in this JVM; here each case
 * is bytes on a socket to a shared stack, the interesting shapes (100 000 brackets, invalid UTF-8,
 * a duplicated Content-Length) need hand-written generators anyway, and a seeded list can be
 * printed, counted per category and re-run case by case.
 */
public final class FuzzCorpus {

  /** The client every valid-looking event and every client token of the fuzz belongs to. */
  public static final long CLIENT_ID = 977_000_000_001L;

  /** Image ids of valid-looking events in the corpus: far above what the other tests draw. */
  public static final long IMAGE_ID_BASE = 8_800_000_000_000_000_000L;

  public static final String INGEST = "ingest POST /stats";
  public static final String API_STATS = "api GET /stats";
  public static final String API_SERIES = "api GET /stats/series";
  public static final String HANDSHAKE = "notifier WS handshake";
  public static final String MESSAGE = "notifier WS message";
  public static final String RED_UPLOAD = "red POST /images";
  public static final String RED_GET = "red GET /images/{id}";

  static final String MALFORMED = "malformed-json";
  static final String HUGE = "huge-numbers";
  static final String NAN = "nan-infinity";
  static final String NESTING = "deep-nesting";
  static final String BIG = "10mb-body";
  static final String UTF8 = "invalid-utf8";
  static final String SQL = "sql-strings";
  static final String UNICODE = "unicode";
  static final String HEADERS = "header-abuse";
  static final String AUTH = "auth-abuse";
  static final String PARAMS = "bad-params";
  static final String IMAGE = "bad-image";
  static final String MULTIPART = "multipart";
  static final String FRAMES = "ws-frames";
  static final String ERROR_PAGE = "error-page";

  private static final int TEN_MB = 10 * 1024 * 1024;

  private static final String[] SQL_SNIPPETS = {
    "1 OR 1=1",
    "1; DROP TABLE events; --",
    "' OR ''='",
    "0) UNION ALL SELECT name FROM system.tables --",
    "1'||(SELECT version())||'",
    "\"; TRUNCATE TABLE client_connections; --",
    "1 AND sleep(3)",
    "${jndi:ldap://127.0.0.1/a}",
  };

  private static final String[] ODD_UNICODE = {
    "\u0000",
    "\ud800",
    "\udfff",
    "\u202e",
    "\u200b",
    "\ufeff",
    "\uffff",
    "\ud83d\udd34",
    "\u0660",
    "\uff10",
    "\u0456",
    "\u2028",
    "\u0301",
    "\ufdd0",
  };

  private static final byte[][] BAD_UTF8 = {
    {(byte) 0xc3, 0x28},
    {(byte) 0xa0, (byte) 0xa1},
    {(byte) 0xe2, 0x28, (byte) 0xa1},
    {(byte) 0xe2, (byte) 0x82},
    {(byte) 0xf0, 0x28, (byte) 0x8c, (byte) 0xbc},
    {(byte) 0xf8, (byte) 0xa1, (byte) 0xa1, (byte) 0xa1, (byte) 0xa1},
    {(byte) 0xfe},
    {(byte) 0xff},
    {(byte) 0xc0, (byte) 0xaf},
    {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
    {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
  };

  /** The tokens the corpus puts in its requests; only the AUTH cases use the bad ones. */
  public record Tokens(
      String ingest,
      Function<String, String> query,
      String subscribe,
      String upload,
      String uploadWithoutClient,
      String wrongScope,
      String expired,
      String wrongSecret,
      Function<String, String> signed) {}

  private final long seed;
  private final int variations;
  private final Tokens tokens;
  private final long now;
  private final List<FuzzCase> cases = new ArrayList<>();
  private long nextImageId = IMAGE_ID_BASE;
  private int apiSubjects;

  public FuzzCorpus(long seed, int variations, Tokens tokens, long now) {
    this.seed = seed;
    this.variations = variations;
    this.tokens = tokens;
    this.now = now;
  }

  /** Every case, fixed ones first, then the generated rounds. */
  public List<FuzzCase> cases() {
    cases.clear();
    ingestCases();
    apiCases();
    handshakeCases();
    messageCases();
    redCases();
    Random random = new Random(seed);
    List<Runnable> generators = generators(random);
    for (int round = 0; round < variations; round++) {
      generators.forEach(Runnable::run);
    }
    cases.replaceAll(
        c -> {
          String bug = knownBug(c);
          return bug == null ? c : c.knownBug(bug);
        });
    return List.copyOf(cases);
  }

  /**
   * Cases that show an open bug, by "endpoint / category / name", with the bug: listed in every
   * run, not sent (so the suite stays green and the bug stays visible) until the bug is fixed and
   * the entry removed. {@code bench/fuzz/run.sh --include-known} sends them.
   */
  static final Map<String, String> KNOWN_BUGS = knownBugs();

  private static Map<String, String> knownBugs() {
    Map<String, String> bugs = new LinkedHashMap<>();
    return Map.copyOf(bugs);
  }

  /**
   * The known bug case C shows, or null: keys match whole names or, ending in a space, a prefix.
   */
  static String knownBug(FuzzCase c) {
    String key = c.endpoint() + " / " + c.category() + " / " + c.name();
    for (Map.Entry<String, String> bug : KNOWN_BUGS.entrySet()) {
      boolean prefix = bug.getKey().endsWith(" ");
      if (prefix ? key.startsWith(bug.getKey()) : key.equals(bug.getKey())) {
        return bug.getValue();
      }
    }
    return null;
  }

  /** The number of generated cases per round (to turn a wanted case count into rounds). */
  public static int generatorsPerRound() {
    return 12;
  }

  // ---------------------------------------------------------------- ingest

  private void ingestCases() {
    String valid = event();
    // malformed JSON: truncated, trailing garbage, wrong types
    ingestJson(MALFORMED, "empty body", "");
    ingestJson(MALFORMED, "only {", "{");
    ingestJson(MALFORMED, "only [", "[");
    ingestJson(MALFORMED, "truncated half", valid.substring(0, valid.length() / 2));
    ingestJson(MALFORMED, "truncated last brace", valid.substring(0, valid.length() - 1));
    ingestJson(MALFORMED, "trailing garbage", event() + "garbage");
    ingestJson(MALFORMED, "trailing brace", event() + "}");
    ingestJson(MALFORMED, "two objects", event() + event());
    ingestJson(MALFORMED, "single quotes", event().replace('"', '\''));
    ingestJson(MALFORMED, "unquoted keys", event().replace("\"", ""));
    ingestJson(MALFORMED, "comment", "/* hi */" + event());
    ingestJson(MALFORMED, "trailing comma", event().replace("}", ",}"));
    ingestJson(MALFORMED, "literal null", "null");
    ingestJson(MALFORMED, "literal true", "true");
    ingestJson(MALFORMED, "a number", "42");
    ingestJson(MALFORMED, "a string", "\"event\"");
    ingestJson(MALFORMED, "array of numbers", "[1,2,3]");
    ingestJson(MALFORMED, "array with null", "[" + event() + ",null]");
    ingestJson(MALFORMED, "empty object", "{}");
    ingestJson(MALFORMED, "red as string", eventWith("red", "\"0.5\""));
    ingestJson(MALFORMED, "red as boolean", eventWith("red", "true"));
    ingestJson(MALFORMED, "red null", eventWith("red", "null"));
    ingestJson(MALFORMED, "red as array", eventWith("red", "[0.5]"));
    ingestJson(MALFORMED, "red as object", eventWith("red", "{\"v\":0.5}"));
    ingestJson(MALFORMED, "image_id as string", eventWith("image_id", "\"1\""));
    ingestJson(MALFORMED, "image_id fractional", eventWith("image_id", "1.5"));
    ingestJson(MALFORMED, "client_id negative", eventWith("client_id", "-3"));
    ingestJson(MALFORMED, "timestamp boolean", eventWith("timestamp", "true"));
    ingestJson(
        MALFORMED, "timestamp without offset", eventWith("timestamp", "\"2026-11-23T10:00:00\""));
    ingestJson(MALFORMED, "timestamp words", eventWith("timestamp", "\"yesterday\""));
    ingest(
        MALFORMED,
        "ndjson bad second line",
        "application/x-ndjson",
        (event() + "\n{\"red\":\n").getBytes(UTF_8));
    ingest(
        MALFORMED,
        "ndjson array line",
        "application/x-ndjson",
        ("[" + event() + "]\n").getBytes(UTF_8));
    ingest(MALFORMED, "ndjson only newlines", "application/x-ndjson", "\n\n\n".getBytes(UTF_8));
    // huge numbers
    ingestJson(HUGE, "image_id 2^63", eventWith("image_id", "9223372036854775808"));
    ingestJson(HUGE, "image_id 2^64", eventWith("image_id", "18446744073709551616"));
    ingestJson(HUGE, "image_id 1e400", eventWith("image_id", "1e400"));
    ingestJson(HUGE, "image_id 400 digits", eventWith("image_id", digits(400)));
    ingestJson(HUGE, "image_id 100000 digits", eventWith("image_id", digits(100_000)));
    ingestJson(HUGE, "client_id -2^63-1", eventWith("client_id", "-9223372036854775809"));
    ingestJson(HUGE, "client_id 2^64", eventWith("client_id", "18446744073709551616"));
    ingestJson(HUGE, "timestamp 1e400", eventWith("timestamp", "1e400"));
    ingestJson(HUGE, "timestamp 2^63", eventWith("timestamp", "9223372036854775808"));
    ingestJson(HUGE, "timestamp year 275760", eventWith("timestamp", "8640000000000001"));
    ingestJson(
        HUGE,
        "timestamp ISO year +999999999",
        eventWith("timestamp", "\"+999999999-12-31T23:59:59Z\""));
    ingestJson(HUGE, "red 1e400", eventWith("red", "1e400"));
    ingestJson(HUGE, "red 1e309", eventWith("red", "1e309"));
    ingestJson(HUGE, "red -1e400", eventWith("red", "-1e400"));
    ingestJson(HUGE, "red 2", eventWith("red", "2"));
    ingestJson(HUGE, "red 1.00001", eventWith("red", "1.00001"));
    // NaN, Infinity, -0
    for (String v :
        List.of("NaN", "Infinity", "-Infinity", "+Infinity", "nan", "\"NaN\"", "\"Infinity\"")) {
      ingestJson(NAN, "red " + v, eventWith("red", v));
    }
    ingestJson(NAN, "image_id NaN", eventWith("image_id", "NaN"));
    ingestJson(NAN, "timestamp Infinity", eventWith("timestamp", "Infinity"));
    ingestJson(NAN, "image_id -0", eventWith("image_id", "-0"));
    ingestJson(NAN, "client_id -0", eventWith("client_id", "-0"));
    ingestJson(NAN, "timestamp -0", eventWith("timestamp", "-0"));
    ingestJson(NAN, "red -0.00001", eventWith("red", "-0.00001"));
    // deep nesting
    ingestJson(NESTING, "100000 [", "[".repeat(100_000));
    ingestJson(NESTING, "100000 {\"a\":", "{\"a\":".repeat(100_000));
    ingestJson(NESTING, "50000 balanced []", "[".repeat(50_000) + "]".repeat(50_000));
    ingestJson(
        NESTING,
        "red nested 10000",
        eventWith("red", "[".repeat(10_000) + "0.5" + "]".repeat(10_000)));
    ingestJson(NESTING, "unknown field nested 100000", eventWith("extra", "[".repeat(100_000)));
    ingest(NESTING, "ndjson 100000 [", "application/x-ndjson", "[".repeat(100_000).getBytes(UTF_8));
    // 10 MB bodies
    ingestJson(BIG, "10 MB of spaces then {}", " ".repeat(TEN_MB) + "{}");
    ingestJson(
        BIG, "one event with a 10 MB field", eventWith("note", "\"" + "x".repeat(TEN_MB) + "\""));
    ingestJson(BIG, "10 MB array of events", bigArray(TEN_MB));
    ingest(BIG, "10 MB ndjson", "application/x-ndjson", bigNdjson(TEN_MB));
    add(
        INGEST,
        BIG,
        "10 MB chunked, no length",
        Target.INGEST,
        post("/stats", tokens.ingest(), "application/json")
            .header("Transfer-Encoding: chunked")
            .withoutContentLength()
            .body(chunked(bigArray(TEN_MB).getBytes(UTF_8))));
    add(
        INGEST,
        BIG,
        "Content-Length 10 MB, 1 KB sent",
        Target.INGEST,
        post("/stats", tokens.ingest(), "application/json")
            .header("Content-Length: " + TEN_MB)
            .withoutContentLength()
            .body(event().getBytes(UTF_8))
            .halfClosed());
    ingestJson(BIG, "10001 events (over the batch limit)", array(10_001));
    // invalid UTF-8
    for (int i = 0; i < BAD_UTF8.length; i++) {
      ingest(
          UTF8,
          "in an unknown field " + hex(BAD_UTF8[i]),
          "application/json",
          badUtf8InField(BAD_UTF8[i]));
    }
    ingest(
        UTF8,
        "in the timestamp",
        "application/json",
        splice(eventWith("timestamp", "\"2026-11-23T10:00:00@+08:00\""), "@", BAD_UTF8[0]));
    ingest(
        UTF8,
        "in a key",
        "application/json",
        splice(event().replace("\"red\"", "\"r@ed\""), "@", BAD_UTF8[7]));
    ingest(
        UTF8,
        "latin-1 body declared UTF-8",
        "application/json; charset=utf-8",
        eventWith("timestamp", "\"café\"").getBytes(ISO_8859_1));
    ingest(
        UTF8,
        "UTF-16 body",
        "application/json",
        eventWith("red", "2").getBytes(java.nio.charset.StandardCharsets.UTF_16));
    // SQL-looking strings
    for (int i = 0; i < SQL_SNIPPETS.length; i++) {
      String field = List.of("image_id", "client_id", "red", "timestamp").get(i % 4);
      ingestJson(
          SQL, field + " = " + SQL_SNIPPETS[i], eventWith(field, jsonString(SQL_SNIPPETS[i])));
    }
    ingestJson(SQL, "unquoted SQL as a value", eventWith("image_id", "1 OR 1=1"));
    ingestJson(
        SQL,
        "timestamp with SQL tail",
        eventWith(
            "timestamp", jsonString("2026-11-23T10:00:00+08:00'); DROP DATABASE redstats; --")));
    ingest(
        SQL,
        "ndjson line of SQL",
        "application/x-ndjson",
        (event() + "\nDROP TABLE events;\n").getBytes(UTF_8));
    // odd unicode
    for (String u : ODD_UNICODE) {
      ingestJson(
          UNICODE,
          "timestamp with " + codepoints(u),
          eventWith("timestamp", jsonString("2026-11-23T10:00:00" + u + "+08:00")));
    }
    ingestJson(UNICODE, "escaped lone surrogate", eventWith("timestamp", "\"\\ud800\""));
    ingestJson(UNICODE, "escaped NUL", eventWith("timestamp", "\"\\u0000\""));
    ingest(
        UNICODE,
        "raw NUL byte in a string",
        "application/json",
        splice(eventWith("timestamp", "\"2026@\""), "@", new byte[] {0}));
    ingestJson(
        UNICODE,
        "homoglyph key (Cyrillic i)",
        event().replace("\"image_id\"", "\"\u0456mage_id\""));
    ingestJson(UNICODE, "zero-width key", event().replace("\"red\"", "\"red\u200b\""));
    ingestJson(UNICODE, "RTL override key", event().replace("\"red\"", "\"\u202ered\""));
    ingestJson(UNICODE, "fullwidth digits", eventWith("red", "\uff10.\uff15"));
    ingestJson(UNICODE, "arabic-indic digits", eventWith("red", "\u0660.\u0665"));
    ingestJson(UNICODE, "emoji as red", eventWith("red", "\"\ud83d\udd34\""));
    // header abuse (the token is valid)
    byte[] body = event().getBytes(UTF_8);
    byte[] bad = eventWith("red", "2").getBytes(UTF_8);
    addIngest(HEADERS, "no Content-Type", post("/stats", tokens.ingest(), null).body(body));
    addIngest(HEADERS, "text/plain", post("/stats", tokens.ingest(), "text/plain").body(body));
    addIngest(
        HEADERS,
        "form-urlencoded",
        post("/stats", tokens.ingest(), "application/x-www-form-urlencoded").body(body));
    addIngest(
        HEADERS,
        "application/jsonx",
        post("/stats", tokens.ingest(), "application/jsonx").body(body));
    addIngest(
        HEADERS,
        "multipart without boundary",
        post("/stats", tokens.ingest(), "multipart/form-data").body(body));
    addIngest(HEADERS, "empty Content-Type", post("/stats", tokens.ingest(), "").body(body));
    addIngest(
        HEADERS, "Content-Type garbage", post("/stats", tokens.ingest(), ";;;==//").body(bad));
    addIngest(
        HEADERS,
        "Content-Type 10 KB of parameters",
        post("/stats", tokens.ingest(), "application/json" + "; a=b".repeat(2000)).body(bad));
    addIngest(
        HEADERS,
        "Content-Type charset=utf-16",
        post("/stats", tokens.ingest(), "application/json; charset=utf-16").body(bad));
    addIngest(
        HEADERS,
        "Content-Type charset=nonsense",
        post("/stats", tokens.ingest(), "application/json; charset=x-nonsense").body(bad));
    addIngest(
        HEADERS,
        "duplicated Content-Type",
        post("/stats", tokens.ingest(), "application/json")
            .header("Content-Type: text/plain")
            .body(bad));
    addIngest(
        HEADERS,
        "Content-Length 2^64",
        post("/stats", tokens.ingest(), "application/json")
            .header("Content-Length: 18446744073709551616")
            .withoutContentLength()
            .body(body)
            .halfClosed());
    addIngest(
        HEADERS,
        "Content-Length -1",
        post("/stats", tokens.ingest(), "application/json")
            .header("Content-Length: -1")
            .withoutContentLength()
            .body(body)
            .halfClosed());
    addIngest(
        HEADERS,
        "Content-Length 1e3",
        post("/stats", tokens.ingest(), "application/json")
            .header("Content-Length: 1e3")
            .withoutContentLength()
            .body(body)
            .halfClosed());
    addIngest(
        HEADERS,
        "two different Content-Lengths",
        post("/stats", tokens.ingest(), "application/json")
            .header("Content-Length: " + body.length)
            .header("Content-Length: 5")
            .withoutContentLength()
            .body(body)
            .halfClosed());
    addIngest(
        HEADERS,
        "Content-Length longer than the body",
        post("/stats", tokens.ingest(), "application/json")
            .header("Content-Length: " + (body.length + 100))
            .withoutContentLength()
            .body(body)
            .halfClosed());
    addIngest(
        HEADERS,
        "Content-Length shorter than the body",
        post("/stats", tokens.ingest(), "application/json")
            .header("Content-Length: " + (body.length - 5))
            .withoutContentLength()
            .body(body));
    addIngest(
        HEADERS,
        "Content-Length and chunked",
        post("/stats", tokens.ingest(), "application/json")
            .header("Content-Length: " + bad.length)
            .header("Transfer-Encoding: chunked")
            .withoutContentLength()
            .body(chunked(bad)));
    addIngest(
        HEADERS,
        "bad chunk size",
        post("/stats", tokens.ingest(), "application/json")
            .header("Transfer-Encoding: chunked")
            .withoutContentLength()
            .body("zz\r\n{}\r\n0\r\n\r\n".getBytes(ISO_8859_1)));
    addIngest(
        HEADERS,
        "Content-Encoding gzip, not gzipped",
        post("/stats", tokens.ingest(), "application/json")
            .header("Content-Encoding: gzip")
            .body(bad));
    addIngest(
        HEADERS,
        "100 KB header",
        post("/stats", tokens.ingest(), "application/json")
            .header("X-Fuzz: " + "a".repeat(100_000))
            .body(body));
    addIngest(
        HEADERS,
        "2000 headers",
        manyHeaders(post("/stats", tokens.ingest(), "application/json"), 2000).body(body));
    addIngest(
        HEADERS,
        "header without colon",
        post("/stats", tokens.ingest(), "application/json").header("ThisIsNotAHeader").body(body));
    addIngest(
        HEADERS,
        "header name with space",
        post("/stats", tokens.ingest(), "application/json").header("Bad Name: x").body(body));
    addIngest(
        HEADERS,
        "NUL in a header value",
        post("/stats", tokens.ingest(), "application/json").header("X-Fuzz: a\u0000b").body(body));
    addIngest(
        HEADERS,
        "obsolete line folding",
        post("/stats", tokens.ingest(), "application/json")
            .header("X-Fuzz: a")
            .header(" folded")
            .body(bad));
    addIngest(
        HEADERS,
        "no Host",
        post("/stats", tokens.ingest(), "application/json").withoutHost().body(body));
    addIngest(
        HEADERS,
        "two Hosts",
        post("/stats", tokens.ingest(), "application/json")
            .header("Host: evil.example")
            .body(body));
    addIngest(
        HEADERS,
        "PUT /stats",
        Request.of("PUT", "/stats")
            .header("Authorization: Bearer " + tokens.ingest())
            .header("Content-Type: application/json")
            .body(body));
    addIngest(
        HEADERS,
        "path with NUL",
        Request.of("POST", "/stats%00")
            .header("Authorization: Bearer " + tokens.ingest())
            .header("Content-Type: application/json")
            .body(body));
    addIngest(
        HEADERS,
        "path with ;",
        Request.of("POST", "/stats;x=1")
            .header("Authorization: Bearer " + tokens.ingest())
            .header("Content-Type: application/json")
            .body(body));
    addIngest(
        HEADERS,
        "path with encoded slash",
        Request.of("POST", "/stats%2F..%2Fstats")
            .header("Authorization: Bearer " + tokens.ingest())
            .header("Content-Type: application/json")
            .body(body));
    addIngest(
        HEADERS,
        "Accept: application/xml",
        post("/stats", tokens.ingest(), "application/json")
            .header("Accept: application/xml")
            .body(bad));
    addIngest(
        HEADERS,
        "Expect: 100-continue",
        post("/stats", tokens.ingest(), "application/json")
            .header("Expect: 100-continue")
            .body(bad));
    addIngest(
        HEADERS,
        "Expect: nonsense",
        post("/stats", tokens.ingest(), "application/json").header("Expect: nonsense").body(bad));
    // auth abuse: a valid body, so a refusal can only come from the credentials
    authCases(
        INGEST,
        Target.INGEST,
        (String auth) ->
            authPost("/stats", auth, "application/json").body(event().getBytes(UTF_8)));
    errorPageCases(INGEST, Target.INGEST, "/stats", tokens.ingest());
    add(
        INGEST,
        AUTH,
        "token of another scope",
        Target.INGEST,
        post("/stats", tokens.wrongScope(), "application/json").body(body));
    replaceLast(FuzzCase::asAuthAbuse);
    add(
        INGEST,
        AUTH,
        "two Authorization headers",
        Target.INGEST,
        post("/stats", tokens.ingest(), "application/json")
            .header("Authorization: Bearer x")
            .body(bad));
    replaceLast(FuzzCase::asAuthAbuse);
    add(
        INGEST,
        AUTH,
        "token in the query",
        Target.INGEST,
        authPost("/stats?access_token=" + tokens.ingest(), null, "application/json").body(body));
    replaceLast(FuzzCase::asAuthAbuse);
  }

  private void authCases(String endpoint, Target target, Function<String, Request> request) {
    String header = base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}");
    String claims =
        base64Url(
            "{\"iss\":\"redstats\",\"sub\":\"fuzz\",\"scope\":\"ingest query subscribe upload admin\",\"client_id\":"
                + CLIENT_ID
                + ",\"exp\":4102444800}");
    List<String[]> forms =
        List.of(
            new String[] {"no Authorization", null},
            new String[] {"Bearer and nothing", "Bearer"},
            new String[] {"Bearer garbage", "Bearer garbage"},
            new String[] {"Bearer three parts of garbage", "Bearer a.b.c"},
            new String[] {"Basic credentials", "Basic dXNlcjpwYXNz"},
            new String[] {"alg none", "Bearer " + header + "." + claims + "."},
            new String[] {"expired token", "Bearer " + tokens.expired()},
            new String[] {"wrong secret", "Bearer " + tokens.wrongSecret()},
            new String[] {"10 KB token", "Bearer " + "a".repeat(10_000)},
            new String[] {"token with spaces", "Bearer " + tokens.expired().replace('.', ' ')},
            new String[] {"SQL as token", "Bearer ' OR 1=1 --"},
            new String[] {"unicode token", "Bearer \u00e9\u00e8"});
    for (String[] form : forms) {
      add(endpoint, AUTH, form[0], target, request.apply(form[1]));
      replaceLast(FuzzCase::asAuthAbuse);
    }
    for (String[] claim : badClaims()) {
      add(endpoint, AUTH, claim[0], target, request.apply("Bearer " + claim[1]));
      replaceLast(FuzzCase::asAuthAbuse);
    }
  }

  /**
   * Tokens signed with the deployment's secret whose claims are wrong: no {@code exp}, a {@code
   * client_id} that is not a positive 64-bit JSON integer. Every scope, so only the claim is wrong.
   */
  private List<String[]> badClaims() {
    String claims =
        "{\"iss\":\"redstats\",\"sub\":\"fuzz\",\"scope\":\"ingest query subscribe upload admin\"";
    String exp = ",\"exp\":" + (now / 1000 + 7_200);
    List<String[]> tokens = new ArrayList<>();
    tokens.add(
        new String[] {
          "token without exp",
          this.tokens.signed().apply(claims + ",\"client_id\":" + CLIENT_ID + "}")
        });
    for (String clientId : List.of("506.9", "-5", "0", "18446744073709552122", "\"abc\"")) {
      tokens.add(
          new String[] {
            "client_id " + clientId,
            this.tokens.signed().apply(claims + exp + ",\"client_id\":" + clientId + "}")
          });
    }
    return tokens;
  }

  /**
   * Boot's error page asked for directly, and a method the endpoint does not take: a 4xx in the
   * JSON body, never a 5xx.
   */
  private void errorPageCases(String endpoint, Target target, String path, String token) {
    add(endpoint, ERROR_PAGE, "GET /error without token", target, authGet("/error", null));
    add(endpoint, ERROR_PAGE, "GET /error", target, authGet("/error", "Bearer " + token));
    add(
        endpoint,
        ERROR_PAGE,
        "GET /error as HTML",
        target,
        authGet("/error", "Bearer " + token).header("Accept: text/html"));
    add(
        endpoint,
        ERROR_PAGE,
        "DELETE " + path,
        target,
        Request.of("DELETE", path).header("Authorization: Bearer " + token));
  }

  // ---------------------------------------------------------------- api

  private void apiCases() {
    String from = String.valueOf(now - 3_600_000);
    String to = String.valueOf(now);
    String okRange = "from=" + from + "&to=" + to;
    // bad parameters
    for (String query :
        List.of(
            "",
            "to=" + to + "&red=0.5",
            "from=" + from + "&red=0.5",
            okRange,
            okRange + "&red=",
            "from=abc&to=" + to + "&red=0.5",
            "from=" + to + "&to=" + from + "&red=0.5",
            "from=" + from + "&to=" + from + "&red=0.5",
            "from=-1&to=" + to + "&red=0.5",
            "from=2026-11-23T10:00:00&to=" + to + "&red=0.5",
            "from=0&to=99999999999999&red=0.5",
            okRange + "&red=1.5",
            okRange + "&red=-0.1",
            okRange + "&red=abc",
            okRange + "&red=0.5&client_id=0",
            okRange + "&red=0.5&client_id=-1",
            okRange + "&red=0.5&client_id=abc",
            okRange + "&red=0.5&client_id=" + (CLIENT_ID + 1),
            okRange + "&red=0x1p-1",
            okRange + "&red=%20")) {
      api(PARAMS, "/stats?" + query, "/stats?" + query);
    }
    for (String query :
        List.of(
            okRange + "&red=0.5",
            okRange + "&red=0.5&step=",
            okRange + "&red=0.5&step=0m",
            okRange + "&red=0.5&step=-1m",
            okRange + "&red=0.5&step=1y",
            okRange + "&red=0.5&step=1000000000000m",
            "from=0&to=" + to + "&red=0.5&step=1m",
            okRange + "&red=0.5&step=1m%00")) {
      api(PARAMS, "/stats/series?" + query, "/stats/series?" + query);
    }
    // huge numbers, NaN
    for (String q :
        List.of(
            "from=1e400&to=" + to + "&red=0.5",
            "from=18446744073709551616&to=" + to + "&red=0.5",
            "from=" + from + "&to=" + digits(400) + "&red=0.5",
            okRange + "&red=1e400",
            okRange + "&red=0." + digits(100_000).substring(1) + "e400",
            okRange + "&red=0.5&client_id=18446744073709551616",
            okRange + "&red=0.5&client_id=" + digits(5000))) {
      api(HUGE, q, "/stats?" + q);
    }
    for (String v : List.of("NaN", "Infinity", "-Infinity", "+Infinity")) {
      api(NAN, "red=" + v, "/stats?" + okRange + "&red=" + encode(v));
      api(NAN, "from=" + v, "/stats?from=" + encode(v) + "&to=" + to + "&red=0.5");
    }
    api(NAN, "client_id=-0", "/stats?" + okRange + "&red=0.5&client_id=-0");
    api(NESTING, "red = 10000 brackets", "/stats?" + okRange + "&red=" + "%5B".repeat(10_000));
    // invalid UTF-8 and odd unicode in parameters
    for (byte[] b : BAD_UTF8) {
      api(UTF8, "red percent-encoded " + hex(b), "/stats?" + okRange + "&red=0.5" + percent(b));
    }
    addApi(UTF8, "raw 0xFF in the query", get("/stats?" + okRange + "&red=0.5\u00ff"));
    api(UTF8, "bad percent escape", "/stats?" + okRange + "&red=%zz");
    api(UTF8, "lone %", "/stats?" + okRange + "&red=0.5%");
    for (String u : ODD_UNICODE) {
      api(UNICODE, "red with " + codepoints(u), "/stats?" + okRange + "&red=" + encode("0.5" + u));
    }
    api(UNICODE, "fullwidth red", "/stats?" + okRange + "&red=" + encode("\uff10.\uff15"));
    for (String s : SQL_SNIPPETS) {
      api(SQL, "red = " + s, "/stats?" + okRange + "&red=" + encode(s));
      api(SQL, "client_id = " + s, "/stats?" + okRange + "&red=0.5&client_id=" + encode(s));
    }
    api(
        SQL,
        "step = SQL",
        "/stats/series?" + okRange + "&red=0.5&step=" + encode("1m; DROP TABLE events"));
    // 10 MB: a body on a GET, a 10 MB query string
    addApi(
        BIG,
        "10 MB body on a bad GET",
        get("/stats?" + okRange + "&red=2")
            .header("Content-Type: application/json")
            .body(new byte[TEN_MB]));
    addApi(
        BIG, "1 MB query string", get("/stats?" + okRange + "&red=0.5&x=" + "a".repeat(1 << 20)));
    // headers, with valid parameters: the header alone must be refused
    addApi(
        HEADERS,
        "100 KB header",
        get("/stats?" + okRange + "&red=0.5").header("X-Fuzz: " + "a".repeat(100_000)));
    addApi(HEADERS, "2000 headers", manyHeaders(get("/stats?" + okRange + "&red=0.5"), 2000));
    addApi(HEADERS, "no Host", get("/stats?" + okRange + "&red=0.5").withoutHost());
    addApi(
        HEADERS,
        "header without colon",
        get("/stats?" + okRange + "&red=0.5").header("NotAHeader"));
    addApi(
        HEADERS,
        "POST /stats",
        Request.of("POST", "/stats?" + okRange + "&red=0.5")
            .header("Authorization: Bearer " + tokens.query().apply(apiSubject()))
            .header("Content-Type: application/json")
            .body("{}".getBytes(UTF_8)));
    addApi(
        HEADERS,
        "DELETE /stats",
        Request.of("DELETE", "/stats?" + okRange + "&red=0.5")
            .header("Authorization: Bearer " + tokens.query().apply(apiSubject())));
    addApi(
        HEADERS,
        "Accept: image/png, bad red",
        get("/stats?" + okRange + "&red=2").header("Accept: image/png"));
    addApi(
        HEADERS,
        "absurd Content-Length on a bad GET",
        get("/stats?" + okRange + "&red=2")
            .header("Content-Length: 99999999999999999999")
            .withoutContentLength()
            .halfClosed());
    authCases(API_STATS, Target.API, auth -> authGet("/stats?" + okRange + "&red=0.5", auth));
    errorPageCases(API_STATS, Target.API, "/stats", tokens.query().apply(apiSubject()));
    add(
        API_STATS,
        AUTH,
        "token of another scope",
        Target.API,
        authGet("/stats?" + okRange + "&red=0.5", "Bearer " + tokens.wrongScope()));
    replaceLast(FuzzCase::asAuthAbuse);
  }

  // ---------------------------------------------------------------- notifier

  private void handshakeCases() {
    for (String q :
        List.of(
            "",
            "min_red=",
            "min_red=abc",
            "min_red=2",
            "min_red=-0.1",
            "min_red=1.00001",
            "min_red=0.5&client_id=0",
            "min_red=0.5&client_id=-1",
            "min_red=0.5&client_id=abc",
            "min_red=0.5&client_id=" + (CLIENT_ID + 1),
            "min_red=0.5&resume=!!!",
            "min_red=0.5&resume=%FF%FE",
            "min_red=0.5&resume=AAAA",
            "min_red=0.5&resume=" + "A".repeat(6000),
            "min_red=0x1p-1")) {
      handshake(PARAMS, q.isEmpty() ? "no parameters" : q, q, tokens.subscribe());
    }
    for (String v : List.of("1e400", "18446744073709551616", digits(5000))) {
      handshake(HUGE, "min_red=" + FuzzCase.abbreviate(v, 40), "min_red=" + v, tokens.subscribe());
    }
    handshake(
        HUGE, "client_id=2^64", "min_red=0.5&client_id=18446744073709551616", tokens.subscribe());
    for (String v : List.of("NaN", "Infinity", "-Infinity", "%2BInfinity")) {
      handshake(NAN, "min_red=" + v, "min_red=" + v, tokens.subscribe());
    }
    for (byte[] b : BAD_UTF8) {
      handshake(
          UTF8,
          "min_red percent-encoded " + hex(b),
          "min_red=0.5" + percent(b),
          tokens.subscribe());
    }
    for (String u : ODD_UNICODE) {
      handshake(
          UNICODE,
          "min_red with " + codepoints(u),
          "min_red=" + encode("0.5" + u),
          tokens.subscribe());
    }
    for (String s : SQL_SNIPPETS) {
      handshake(SQL, "min_red = " + s, "min_red=" + encode(s), tokens.subscribe());
    }
    handshake(
        SQL, "resume = SQL", "min_red=0.5&resume=" + encode(SQL_SNIPPETS[1]), tokens.subscribe());
    handshake(
        NESTING, "min_red = 10000 brackets", "min_red=" + "%5B".repeat(10_000), tokens.subscribe());
    String valid = "/alerts?min_red=0.5";
    String authorization = "Authorization: Bearer " + tokens.subscribe();
    addWs(
        HEADERS,
        "Sec-WebSocket-Version 99",
        Request.of("GET", valid)
            .header(authorization)
            .header("Upgrade: websocket")
            .header("Connection: Upgrade")
            .header("Sec-WebSocket-Key: " + wsKey())
            .header("Sec-WebSocket-Version: 99"));
    addWs(
        HEADERS,
        "no Sec-WebSocket-Key",
        Request.of("GET", valid)
            .header(authorization)
            .header("Upgrade: websocket")
            .header("Connection: Upgrade")
            .header("Sec-WebSocket-Version: 13"));
    addWs(
        HEADERS,
        "Sec-WebSocket-Key garbage",
        Request.of("GET", valid)
            .header(authorization)
            .header("Upgrade: websocket")
            .header("Connection: Upgrade")
            .header("Sec-WebSocket-Key: !!")
            .header("Sec-WebSocket-Version: 13"));
    addWs(
        HEADERS,
        "Upgrade: h2c",
        Request.of("GET", valid)
            .header(authorization)
            .header("Upgrade: h2c")
            .header("Connection: Upgrade")
            .header("Sec-WebSocket-Key: " + wsKey())
            .header("Sec-WebSocket-Version: 13"));
    addWs(HEADERS, "plain GET, no upgrade", Request.of("GET", valid).header(authorization));
    addWs(
        HEADERS,
        "POST /alerts",
        Request.of("POST", valid)
            .header(authorization)
            .header("Content-Type: application/json")
            .body("{\"min_red\":0.5}".getBytes(UTF_8)));
    addWs(
        HEADERS,
        "100 KB header",
        wsRequest(valid, bearer(tokens.subscribe())).header("X-Fuzz: " + "a".repeat(100_000)));
    addWs(HEADERS, "2000 headers", manyHeaders(wsRequest(valid, bearer(tokens.subscribe())), 2000));
    addWs(HEADERS, "no Host", wsRequest(valid, bearer(tokens.subscribe())).withoutHost());
    addWs(
        BIG,
        "POST /alerts with 10 MB",
        Request.of("POST", valid)
            .header(authorization)
            .header("Content-Type: application/json")
            .body(new byte[TEN_MB]));
    addWs(
        BIG,
        "1 MB query string",
        wsRequest(valid + "&x=" + "a".repeat(1 << 20), bearer(tokens.subscribe())));
    String query = "/alerts?min_red=0.5";
    // {name, path, Authorization}: without a header the socket opens and must authenticate with
    // its first message; a token in the URL is refused
    List<String[]> auth =
        List.of(
            new String[] {"no token", query, null},
            new String[] {"garbage token", query, bearer("garbage")},
            new String[] {"expired token", query, bearer(tokens.expired())},
            new String[] {"wrong secret", query, bearer(tokens.wrongSecret())},
            new String[] {"token of another scope", query, bearer(tokens.wrongScope())},
            new String[] {"SQL as token", query, bearer("' OR 1=1 --")},
            new String[] {"10 KB token", query, bearer("a".repeat(10_000))},
            new String[] {"token in the URL", query + "&access_token=" + tokens.subscribe(), null});
    for (String[] form : auth) {
      add(HANDSHAKE, AUTH, form[0], Target.NOTIFIER, wsRequest(form[1], form[2]));
      replaceLast(FuzzCase::asAuthAbuse);
    }
    for (String[] claim : badClaims()) {
      add(HANDSHAKE, AUTH, claim[0], Target.NOTIFIER, wsRequest(query, "Bearer " + claim[1]));
      replaceLast(FuzzCase::asAuthAbuse);
    }
    errorPageCases(HANDSHAKE, Target.NOTIFIER, "/alerts", tokens.subscribe());
    add(HANDSHAKE, AUTH, "Basic header", Target.NOTIFIER, wsRequest(query, "Basic dXNlcjpwYXNz"));
    replaceLast(FuzzCase::asAuthAbuse);
  }

  private void messageCases() {
    for (String m :
        List.of(
            "",
            "{",
            "[",
            "garbage",
            "null",
            "42",
            "\"0.5\"",
            "[0.5]",
            "{}",
            "{\"min_red\":null}",
            "{\"min_red\":\"0.5\"}",
            "{\"min_red\":true}",
            "{\"min_red\":[0.5]}",
            "{\"min_red\":2}",
            "{\"min_red\":-0.1}",
            "{\"min_red\":0.5}trailing",
            "{\"min_red\":0.5,}",
            "{\"min_red\":0.5}{\"min_red\":0.6}",
            "{'min_red':0.5}",
            "{\"minred\":0.5}",
            "{\"min_red\":0.5")) {
      message(MALFORMED, m.isEmpty() ? "empty message" : m, m.getBytes(UTF_8));
    }
    for (String v : List.of("1e400", "18446744073709551616", digits(400), "-1e400", "1.00001")) {
      message(
          HUGE,
          "min_red " + FuzzCase.abbreviate(v, 40),
          ("{\"min_red\":" + v + "}").getBytes(UTF_8));
    }
    for (String v : List.of("NaN", "Infinity", "-Infinity", "\"NaN\"")) {
      message(NAN, "min_red " + v, ("{\"min_red\":" + v + "}").getBytes(UTF_8));
    }
    message(NESTING, "100000 [", "[".repeat(100_000).getBytes(UTF_8));
    message(
        NESTING,
        "min_red nested 1000",
        ("{\"min_red\":" + "[".repeat(1000) + "0.5" + "]".repeat(1000) + "}").getBytes(UTF_8));
    for (byte[] b : BAD_UTF8) {
      message(UTF8, "text frame with " + hex(b), splice("{\"min_red\":\"@\"}", "@", b));
    }
    for (String u : ODD_UNICODE) {
      message(
          UNICODE,
          "min_red with " + codepoints(u),
          ("{\"min_red\":\"0.5" + u + "\"}").getBytes(UTF_8));
    }
    message(UNICODE, "RTL key", "{\"\u202emin_red\":0.5}".getBytes(UTF_8));
    for (String s : SQL_SNIPPETS) {
      message(SQL, "min_red = " + s, ("{\"min_red\":" + jsonString(s) + "}").getBytes(UTF_8));
    }
    message(
        BIG,
        "1 MB text message",
        ("{\"min_red\":\"" + "x".repeat(1 << 20) + "\"}").getBytes(UTF_8));
    message(
        BIG,
        "10 MB text message",
        ("{\"min_red\":\"" + "x".repeat(TEN_MB) + "\"}").getBytes(UTF_8));
    addFrame(FRAMES, "binary frame", new Frame(0x2, "{\"min_red\":0.5}".getBytes(UTF_8), true));
    addFrame(
        FRAMES, "unmasked text frame", new Frame(0x1, "{\"min_red\":0.5}".getBytes(UTF_8), false));
    addFrame(FRAMES, "reserved opcode 3", new Frame(0x3, "x".getBytes(UTF_8), true));
    addFrame(FRAMES, "reserved opcode 11", new Frame(0xB, "x".getBytes(UTF_8), true));
    addFrame(FRAMES, "continuation without start", new Frame(0x0, "x".getBytes(UTF_8), true));
    addFrame(FRAMES, "close with 1 byte", new Frame(0x8, new byte[] {3}, true));
    addFrame(FRAMES, "ping of 200 bytes", new Frame(0x9, new byte[200], true));
  }

  // ---------------------------------------------------------------- red

  private void redCases() {
    byte[] png = Images.png(1);
    redUpload(IMAGE, "empty body", "image/png", new byte[0]);
    redUpload(
        IMAGE, "garbage bytes", "application/octet-stream", "not an image at all".getBytes(UTF_8));
    redUpload(IMAGE, "JSON body", "application/json", event().getBytes(UTF_8));
    redUpload(IMAGE, "a PNG sent as text/plain", "text/plain", png);
    redUpload(IMAGE, "truncated PNG", "image/png", Arrays.copyOf(png, png.length / 2));
    redUpload(IMAGE, "PNG header only", "image/png", Arrays.copyOf(png, 8));
    redUpload(IMAGE, "PNG 100000 x 100000", "image/png", pngHeader(100_000, 100_000));
    redUpload(
        IMAGE, "PNG 2^31-1 x 2^31-1", "image/png", pngHeader(Integer.MAX_VALUE, Integer.MAX_VALUE));
    redUpload(IMAGE, "PNG 0 x 0", "image/png", pngHeader(0, 0));
    redUpload(IMAGE, "PNG with a bad CRC", "image/png", flipLast(pngHeader(4, 4)));
    redUpload(
        IMAGE,
        "GIF magic then garbage",
        "image/gif",
        "GIF89a\u00ff\u00ff\u00ff\u00ff garbage".getBytes(ISO_8859_1));
    redUpload(
        IMAGE,
        "JPEG SOI then garbage",
        "image/jpeg",
        new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, 0, 1, 2, 3});
    redUpload(IMAGE, "BMP 65535 x 65535", "image/bmp", bmpHeader(65_535, 65_535));
    redUpload(
        IMAGE,
        "WebP magic then garbage",
        "image/webp",
        "RIFF\u0000\u0000\u0000\u0000WEBPVP8 garbage".getBytes(ISO_8859_1));
    redUpload(BIG, "10 MB of zeros", "application/octet-stream", new byte[TEN_MB]);
    redUpload(
        BIG,
        "PNG magic then 10 MB of zeros",
        "image/png",
        concat(Arrays.copyOf(png, 8), new byte[TEN_MB]));
    add(
        RED_UPLOAD,
        BIG,
        "Content-Length 30 MB, 1 KB sent",
        Target.RED,
        post("/images", tokens.upload(), "image/png")
            .header("Content-Length: 31457280")
            .withoutContentLength()
            .body(png)
            .halfClosed());
    add(
        RED_UPLOAD,
        BIG,
        "Content-Length 2^63-1",
        Target.RED,
        post("/images", tokens.upload(), "image/png")
            .header("Content-Length: 9223372036854775807")
            .withoutContentLength()
            .body(png)
            .halfClosed());
    // multipart
    String boundary = "fuzzboundary";
    redUpload(
        MULTIPART, "no boundary", "multipart/form-data", multipart(boundary, "image", png, true));
    redUpload(
        MULTIPART,
        "wrong boundary",
        "multipart/form-data; boundary=other",
        multipart(boundary, "image", png, true));
    redUpload(
        MULTIPART,
        "no closing boundary",
        "multipart/form-data; boundary=" + boundary,
        multipart(boundary, "image", png, false));
    redUpload(
        MULTIPART,
        "part named file",
        "multipart/form-data; boundary=" + boundary,
        multipart(boundary, "file", png, true));
    redUpload(
        MULTIPART,
        "empty multipart",
        "multipart/form-data; boundary=" + boundary,
        ("--" + boundary + "--\r\n").getBytes(UTF_8));
    redUpload(
        MULTIPART,
        "image part of garbage",
        "multipart/form-data; boundary=" + boundary,
        multipart(boundary, "image", "garbage".getBytes(UTF_8), true));
    redUpload(
        MULTIPART,
        "2000 parts",
        "multipart/form-data; boundary=" + boundary,
        manyParts(boundary, 2000));
    redUpload(
        MULTIPART,
        "200-character boundary",
        "multipart/form-data; boundary=" + "b".repeat(200),
        multipart("b".repeat(200), "file", png, true));
    // Idempotency-Key abuse with a valid image: only the key is wrong
    redUploadWithKey(
        HEADERS, "Idempotency-Key of 256 characters", "k".repeat(256).getBytes(ISO_8859_1), png);
    redUploadWithKey(HEADERS, "empty Idempotency-Key", new byte[0], png);
    redUploadWithKey(
        SQL, "Idempotency-Key with SQL and spaces", SQL_SNIPPETS[1].getBytes(UTF_8), png);
    redUploadWithKey(
        UNICODE, "Idempotency-Key with an emoji", "key-\ud83d\udd34".getBytes(UTF_8), png);
    redUploadWithKey(UTF8, "Idempotency-Key with byte 0xFF", new byte[] {'k', (byte) 0xff}, png);
    redUploadWithKey(HEADERS, "Idempotency-Key with a tab", "a\tb".getBytes(ISO_8859_1), png);
    addRed(
        HEADERS,
        "100 KB header",
        post("/images", tokens.upload(), "image/png")
            .header("X-Fuzz: " + "a".repeat(100_000))
            .body(png));
    addRed(
        HEADERS, "no Host", post("/images", tokens.upload(), "image/png").withoutHost().body(png));
    // RED sniffs the type from the bytes, so an image without Content-Type is taken (README):
    // garbage.
    addRed(
        HEADERS,
        "no Content-Type",
        post("/images", tokens.upload(), null).body("garbage".getBytes(UTF_8)));
    addRed(
        HEADERS,
        "Content-Length longer than the body",
        post("/images", tokens.upload(), "image/png")
            .header("Content-Length: " + (png.length + 100))
            .withoutContentLength()
            .body(png)
            .halfClosed());
    // RFC 9112 lets a server take chunked over Content-Length: the body is what must be refused.
    byte[] truncated = Arrays.copyOf(png, png.length / 2);
    addRed(
        HEADERS,
        "Content-Length and chunked",
        post("/images", tokens.upload(), "image/png")
            .header("Content-Length: " + truncated.length)
            .header("Transfer-Encoding: chunked")
            .withoutContentLength()
            .body(chunked(truncated)));
    authCases(RED_UPLOAD, Target.RED, auth -> authPost("/images", auth, "image/png").body(png));
    errorPageCases(RED_UPLOAD, Target.RED, "/images", tokens.upload());
    add(
        RED_UPLOAD,
        AUTH,
        "token without client_id",
        Target.RED,
        post("/images", tokens.uploadWithoutClient(), "image/png").body(png));
    replaceLast(FuzzCase::asAuthAbuse);
    add(
        RED_UPLOAD,
        AUTH,
        "token of another scope",
        Target.RED,
        post("/images", tokens.wrongScope(), "image/png").body(png));
    replaceLast(FuzzCase::asAuthAbuse);
    // GET /images/{id}
    for (String id :
        List.of(
            "abc",
            "18446744073709551616",
            digits(400),
            "-1",
            "0",
            "%00",
            "1%20OR%201=1",
            "%27%20OR%20%271%27=%271",
            "NaN",
            "1e3",
            "%C3%28",
            "%F0%9F%94%B4",
            "a".repeat(10_000))) {
      add(
          RED_GET,
          PARAMS,
          "/images/" + FuzzCase.abbreviate(id, 40),
          Target.RED,
          authGet("/images/" + id, "Bearer " + tokens.upload()));
    }
  }

  // ---------------------------------------------------------------- generated variations

  private List<Runnable> generators(Random r) {
    List<Runnable> g = new ArrayList<>();
    g.add(
        () -> {
          String valid = event();
          ingestJson(
              MALFORMED,
              "generated: truncated",
              valid.substring(0, 1 + r.nextInt(valid.length() - 1)));
        });
    g.add(
        () -> {
          String field = pick(r, "image_id", "client_id", "red", "timestamp");
          String value =
              pick(
                  r,
                  "\"x\"",
                  "true",
                  "false",
                  "null",
                  "[]",
                  "{}",
                  "[1]",
                  "{\"a\":1}",
                  "\"\"",
                  "1.5e-3x");
          ingestJson(MALFORMED, "generated: " + field + " = " + value, eventWith(field, value));
        });
    g.add(
        () -> {
          String field = pick(r, "image_id", "client_id", "timestamp");
          String value =
              r.nextBoolean() ? digits(20 + r.nextInt(5000)) : "1e" + (309 + r.nextInt(100_000));
          ingestJson(
              HUGE,
              "generated: " + field + " " + value.length() + " characters",
              eventWith(field, value));
        });
    g.add(
        () -> {
          int depth = 1000 + r.nextInt(200_000);
          String open = pick(r, "[", "{\"a\":", "[{\"b\":");
          ingestJson(NESTING, "generated: " + depth + " x " + open, open.repeat(depth));
        });
    g.add(
        () -> {
          byte[] seq = BAD_UTF8[r.nextInt(BAD_UTF8.length)];
          ingest(
              UTF8,
              "generated: " + hex(seq) + " in a field",
              "application/json",
              badUtf8InField(seq));
        });
    g.add(
        () -> {
          String field = pick(r, "image_id", "client_id", "red", "timestamp");
          String sql = SQL_SNIPPETS[r.nextInt(SQL_SNIPPETS.length)];
          ingestJson(SQL, "generated: " + field + " = " + sql, eventWith(field, jsonString(sql)));
        });
    g.add(
        () -> {
          String u = randomUnicode(r);
          ingestJson(
              UNICODE,
              "generated: timestamp with " + codepoints(u),
              eventWith("timestamp", jsonString(u)));
        });
    g.add(
        () -> {
          int size = TEN_MB - (1 << 20) + r.nextInt(4 << 20);
          ingestJson(
              BIG,
              "generated: " + size + " bytes of padding",
              " ".repeat(size) + eventWith("red", "2"));
        });
    g.add(
        () -> {
          String param = pick(r, "from", "to", "red", "client_id");
          String value =
              pick(
                  r,
                  "NaN",
                  "1e" + r.nextInt(100_000),
                  digits(20 + r.nextInt(2000)),
                  SQL_SNIPPETS[r.nextInt(SQL_SNIPPETS.length)],
                  randomUnicode(r),
                  "-" + r.nextInt(1000));
          String query = apiQuery(param, value);
          api(
              PARAMS,
              "generated: " + param + "=" + FuzzCase.abbreviate(value, 40),
              "/stats?" + query);
        });
    g.add(
        () -> {
          String value =
              pick(
                  r,
                  "NaN",
                  "-1",
                  "1.5",
                  digits(20 + r.nextInt(2000)),
                  SQL_SNIPPETS[r.nextInt(SQL_SNIPPETS.length)],
                  randomUnicode(r),
                  "0.5" + randomUnicode(r));
          handshake(
              PARAMS,
              "generated: min_red=" + FuzzCase.abbreviate(value, 40),
              "min_red=" + encode(value),
              tokens.subscribe());
        });
    g.add(
        () -> {
          String value =
              pick(
                  r,
                  "\"x\"",
                  "null",
                  "true",
                  "-1",
                  "2",
                  "1e" + (309 + r.nextInt(10_000)),
                  jsonString(randomUnicode(r)),
                  jsonString(SQL_SNIPPETS[r.nextInt(SQL_SNIPPETS.length)]));
          message(
              MALFORMED,
              "generated: min_red " + FuzzCase.abbreviate(value, 40),
              ("{\"min_red\":" + value + "}").getBytes(UTF_8));
        });
    g.add(
        () -> {
          byte[] garbage = new byte[1 + r.nextInt(4096)];
          r.nextBytes(garbage);
          garbage[0] = (byte) (0x80 | garbage[0]); // never a valid image magic
          redUpload(
              IMAGE,
              "generated: " + garbage.length + " random bytes",
              pick(r, "image/png", "image/jpeg", "application/octet-stream"),
              garbage);
        });
    if (g.size() != generatorsPerRound()) {
      throw new IllegalStateException("generatorsPerRound() is out of date");
    }
    return g;
  }

  /** A valid /stats query with PARAM replaced by VALUE (which makes it invalid). */
  private String apiQuery(String param, String value) {
    String from = String.valueOf(now - 3_600_000);
    String to = String.valueOf(now);
    return "from="
        + (param.equals("from") ? encode(value) : from)
        + "&to="
        + (param.equals("to") ? encode(value) : to)
        + "&red="
        + (param.equals("red") ? encode(value) : "0.5")
        + (param.equals("client_id") ? "&client_id=" + encode(value) : "");
  }

  private static String randomUnicode(Random r) {
    StringBuilder s = new StringBuilder();
    int n = 1 + r.nextInt(8);
    for (int i = 0; i < n; i++) {
      s.append(
          r.nextBoolean()
              ? ODD_UNICODE[r.nextInt(ODD_UNICODE.length)]
              : String.valueOf((char) (0x80 + r.nextInt(0xff00))));
    }
    return s.toString();
  }

  private static String pick(Random r, String... values) {
    return values[r.nextInt(values.length)];
  }

  // ---------------------------------------------------------------- builders

  private void add(String endpoint, String category, String name, Target target, Request request) {
    cases.add(new FuzzCase(endpoint, category, name, target, request, null, false, null));
  }

  /** Replaces the last added case (to mark it). */
  private void replaceLast(Function<FuzzCase, FuzzCase> change) {
    cases.set(cases.size() - 1, change.apply(cases.get(cases.size() - 1)));
  }

  private void ingestJson(String category, String name, String json) {
    ingest(category, name, "application/json", json.getBytes(UTF_8));
  }

  private void ingest(String category, String name, String contentType, byte[] body) {
    add(
        INGEST,
        category,
        name,
        Target.INGEST,
        post("/stats", tokens.ingest(), contentType).body(body));
  }

  private void addIngest(String category, String name, Request request) {
    add(INGEST, category, name, Target.INGEST, request);
  }

  private void api(String category, String name, String pathAndQuery) {
    addApi(category, name, get(pathAndQuery));
  }

  private void addApi(String category, String name, Request request) {
    add(
        request.path().startsWith("/stats/series") ? API_SERIES : API_STATS,
        category,
        name,
        Target.API,
        request);
  }

  private void handshake(String category, String name, String query, String token) {
    addWs(category, name, wsRequest("/alerts?" + query, bearer(token)));
  }

  private static String bearer(String token) {
    return "Bearer " + token;
  }

  private void addWs(String category, String name, Request request) {
    add(HANDSHAKE, category, name, Target.NOTIFIER, request);
  }

  private void message(String category, String name, byte[] text) {
    addFrame(category, name, Frame.text(text));
  }

  private void addFrame(String category, String name, Frame frame) {
    String path = "/alerts?min_red=0.5";
    cases.add(
        new FuzzCase(
            MESSAGE,
            category,
            name,
            Target.NOTIFIER,
            wsRequest(path, bearer(tokens.subscribe())),
            frame,
            false,
            null));
  }

  private void redUpload(String category, String name, String contentType, byte[] body) {
    addRed(category, name, post("/images", tokens.upload(), contentType).body(body));
  }

  private void redUploadWithKey(String category, String name, byte[] key, byte[] png) {
    addRed(
        category,
        name,
        post("/images", tokens.upload(), "image/png")
            .headerBytes("Idempotency-Key", key)
            .body(png));
  }

  private void addRed(String category, String name, Request request) {
    add(RED_UPLOAD, category, name, Target.RED, request);
  }

  private Request post(String path, String token, String contentType) {
    return authPost(path, "Bearer " + token, contentType);
  }

  private static Request authPost(String path, String authorization, String contentType) {
    Request request = Request.of("POST", path);
    if (authorization != null) {
      request = request.header("Authorization: " + authorization);
    }
    return contentType == null ? request : request.header("Content-Type: " + contentType);
  }

  /** A GET with a query token of its own subject: the api's rate limit is per subject. */
  private Request get(String pathAndQuery) {
    return authGet(pathAndQuery, "Bearer " + tokens.query().apply(apiSubject()));
  }

  private static Request authGet(String pathAndQuery, String authorization) {
    Request request = Request.of("GET", pathAndQuery);
    return authorization == null ? request : request.header("Authorization: " + authorization);
  }

  private String apiSubject() {
    return "fuzz-" + (++apiSubjects);
  }

  private static Request wsRequest(String pathAndQuery, String authorization) {
    Request request =
        Request.of("GET", pathAndQuery)
            .header("Upgrade: websocket")
            .header("Connection: Upgrade")
            .header("Sec-WebSocket-Key: " + wsKey())
            .header("Sec-WebSocket-Version: 13");
    return authorization == null ? request : request.header("Authorization: " + authorization);
  }

  private static String wsKey() {
    return Base64.getEncoder().encodeToString("fuzz-corpus-key!".getBytes(UTF_8));
  }

  private static Request manyHeaders(Request request, int count) {
    for (int i = 0; i < count; i++) {
      request = request.header("X-Fuzz-" + i + ": " + "v".repeat(50));
    }
    return request;
  }

  private String event() {
    return "{\"image_id\":"
        + (nextImageId++)
        + ",\"client_id\":"
        + CLIENT_ID
        + ",\"timestamp\":"
        + now
        + ",\"red\":0.5}";
  }

  /** A valid event with FIELD's value replaced by the raw JSON text VALUE (or added). */
  private String eventWith(String field, String value) {
    String event = event();
    String key = "\"" + field + "\":";
    int at = event.indexOf(key);
    if (at < 0) {
      return event.substring(0, event.length() - 1) + "," + key + value + "}";
    }
    int start = at + key.length();
    int end = start;
    while (event.charAt(end) != ',' && event.charAt(end) != '}') {
      end++;
    }
    return event.substring(0, start) + value + event.substring(end);
  }

  private String array(int events) {
    StringBuilder s = new StringBuilder("[");
    for (int i = 0; i < events; i++) {
      s.append(i == 0 ? "" : ",").append(event());
    }
    return s.append(']').toString();
  }

  private String bigArray(int bytes) {
    // One invalid event at the end: refusing on size or on content are both right.
    StringBuilder s = new StringBuilder("[");
    String one = eventWith("red", "2");
    while (s.length() < bytes) {
      s.append(one).append(',');
    }
    return s.append(one).append(']').toString();
  }

  private byte[] bigNdjson(int bytes) {
    StringBuilder s = new StringBuilder();
    String one = eventWith("red", "2");
    while (s.length() < bytes) {
      s.append(one).append('\n');
    }
    return s.toString().getBytes(UTF_8);
  }

  private byte[] badUtf8InField(byte[] sequence) {
    return splice(eventWith("note", "\"a@b\""), "@", sequence);
  }

  private static byte[] splice(String text, String marker, byte[] bytes) {
    int at = text.indexOf(marker);
    return concat(
        concat(text.substring(0, at).getBytes(UTF_8), bytes),
        text.substring(at + marker.length()).getBytes(UTF_8));
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static byte[] chunked(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 1024);
    int chunk = 64 * 1024;
    for (int at = 0; at < body.length; at += chunk) {
      int n = Math.min(chunk, body.length - at);
      out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(ISO_8859_1));
      out.write(body, at, n);
      out.writeBytes("\r\n".getBytes(ISO_8859_1));
    }
    out.writeBytes("0\r\n\r\n".getBytes(ISO_8859_1));
    return out.toByteArray();
  }

  private static String digits(int n) {
    StringBuilder s = new StringBuilder("9");
    IntFunction<Character> digit = i -> (char) ('0' + (i * 7 + 3) % 10);
    for (int i = 1; i < n; i++) {
      s.append(digit.apply(i));
    }
    return s.toString();
  }

  private static String jsonString(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, UTF_8);
  }

  private static String percent(byte[] bytes) {
    StringBuilder s = new StringBuilder();
    for (byte b : bytes) {
      s.append(String.format("%%%02X", b & 0xff));
    }
    return s.toString();
  }

  private static String hex(byte[] bytes) {
    StringBuilder s = new StringBuilder();
    for (byte b : bytes) {
      s.append(String.format("%02X", b & 0xff));
    }
    return s.toString();
  }

  private static String codepoints(String s) {
    StringBuilder out = new StringBuilder();
    s.chars()
        .forEach(c -> out.append(out.length() == 0 ? "" : " ").append(String.format("U+%04X", c)));
    return out.toString();
  }

  private static String base64Url(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(UTF_8));
  }

  /** A PNG signature and an IHDR chunk (correct CRC) claiming WIDTH x HEIGHT, then nothing. */
  private static byte[] pngHeader(int width, int height) {
    ByteBuffer ihdr = ByteBuffer.allocate(17);
    ihdr.put("IHDR".getBytes(ISO_8859_1)).putInt(width).putInt(height);
    ihdr.put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
    CRC32 crc = new CRC32();
    crc.update(ihdr.array());
    ByteBuffer png = ByteBuffer.allocate(8 + 4 + 17 + 4);
    png.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    png.putInt(13).put(ihdr.array()).putInt((int) crc.getValue());
    return png.array();
  }

  private static byte[] flipLast(byte[] bytes) {
    byte[] out = bytes.clone();
    out[out.length - 1] ^= 0x5a;
    return out;
  }

  /** A BMP file header and BITMAPINFOHEADER claiming WIDTH x HEIGHT at 24 bits, no pixels. */
  private static byte[] bmpHeader(int width, int height) {
    ByteBuffer bmp = ByteBuffer.allocate(54).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    bmp.put((byte) 'B').put((byte) 'M').putInt(54).putInt(0).putInt(54);
    bmp.putInt(40).putInt(width).putInt(height).putShort((short) 1).putShort((short) 24);
    bmp.putInt(0).putInt(0).putInt(2835).putInt(2835).putInt(0).putInt(0);
    return bmp.array();
  }

  private static byte[] multipart(String boundary, String name, byte[] content, boolean closed) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\""
                + name
                + "\"; filename=\"x.png\"\r\nContent-Type: image/png\r\n\r\n")
            .getBytes(UTF_8));
    out.writeBytes(content);
    out.writeBytes(("\r\n" + (closed ? "--" + boundary + "--\r\n" : "")).getBytes(UTF_8));
    return out.toByteArray();
  }

  private static byte[] manyParts(String boundary, int parts) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < parts; i++) {
      s.append("--")
          .append(boundary)
          .append("\r\nContent-Disposition: form-data; name=\"f")
          .append(i)
          .append("\"\r\n\r\nx\r\n");
    }
    return s.append("--").append(boundary).append("--\r\n").toString().getBytes(UTF_8);
  }
}
