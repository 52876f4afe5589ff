package io.redstats.contract.auth;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code ./redstats token}: mints a token for a deployment whose secret is in a file.
 *
 * <p>Usage: {@code TokenCli --secret-file F [--client-id N] --scope a,b [--subject S] [--ttl P1D]}
 */
public final class TokenCli {

  private TokenCli() {}

  public static void main(String[] args) throws Exception {
    Path secretFile = null;
    Long clientId = null;
    List<String> scopes = new ArrayList<>();
    String subject = null;
    Duration ttl = Duration.ofDays(30);
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--secret-file" -> secretFile = Path.of(required(value, args[i]));
        case "--client-id" -> clientId = Long.parseLong(required(value, args[i]));
        case "--scope" -> scopes.addAll(Arrays.asList(required(value, args[i]).split(",")));
        case "--subject" -> subject = required(value, args[i]);
        case "--ttl" -> ttl = Duration.parse(required(value, args[i]));
        default -> fail("unknown option " + args[i]);
      }
      i++;
    }
    if (secretFile == null || scopes.isEmpty()) {
      fail("usage: token --secret-file F [--client-id N] --scope a,b [--subject S] [--ttl P30D]");
    }
    if (clientId != null && clientId <= 0) {
      fail("--client-id must be positive");
    }
    String secret = Files.readString(secretFile, StandardCharsets.UTF_8).trim();
    String sub =
        subject != null
            ? subject
            : clientId != null ? "client-" + clientId : String.join("+", scopes);
    System.out.println(new TokenMinter(secret).mint(sub, clientId, scopes, ttl));
  }

  private static String required(String value, String option) {
    if (value == null) {
      fail(option + " needs a value");
    }
    return value;
  }

  private static void fail(String message) {
    System.err.println("token: " + message);
    System.exit(2);
  }
}
