package io.redstats.red.upload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Uploads files to {@code POST /images} with bounded concurrency and an optional rate limit.
 *
 * <p>Each file's {@code Idempotency-Key} is the SHA-256 of its bytes, so a second run, or two runs
 * at once over overlapping folders, upload each image once: RED answers a known key with 200 and
 * the same image. That also makes retrying safe: a 503, a 429 or a lost connection is retried up to
 * {@link #ATTEMPTS} times, waiting for Retry-After or a short backoff; any other refusal (a file
 * that is not an image, too large) is final for that file and reported.
 */
final class FolderUploader {

  /** Default file selection: every extension RED decodes, in any letter case. */
  static final String DEFAULT_GLOB = "**.{png,jpg,jpeg,gif,bmp,webp}";

  /** A short outage (a RED restart) is ridden out; a long one fails the file, not the run. */
  static final int ATTEMPTS = 4;

  private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
  private static final Pattern MESSAGE =
      Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Pattern IMAGE_ID = Pattern.compile("\"image_id\"\\s*:\\s*(\\d+)");

  private final HttpClient http;
  private final URI imagesUri;
  private final String token;
  private final Duration timeout;

  FolderUploader(URI baseUrl, String token, Duration timeout) {
    String base = baseUrl.toString().replaceAll("/+$", "");
    this.imagesUri = URI.create(base + "/images");
    this.token = token;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** Regular files under {@code dir} (recursively) whose path relative to it matches the glob. */
  static List<Path> files(Path dir, String glob) {
    PathMatcher matcher =
        FileSystems.getDefault().getPathMatcher("glob:" + glob.toLowerCase(Locale.ROOT));
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile)
          .filter(
              p -> matcher.matches(Path.of(dir.relativize(p).toString().toLowerCase(Locale.ROOT))))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  List<UploadResult> uploadAll(
      List<Path> files, int concurrency, RateLimiter limiter, Progress progress)
      throws InterruptedException {
    ExecutorService workers = Executors.newFixedThreadPool(concurrency);
    try {
      List<Future<UploadResult>> futures = new ArrayList<>();
      for (Path file : files) {
        futures.add(
            workers.submit(
                () -> {
                  UploadResult result = upload(file, limiter);
                  progress.finished(result);
                  return result;
                }));
      }
      List<UploadResult> results = new ArrayList<>();
      for (Future<UploadResult> future : futures) {
        try {
          results.add(future.get());
        } catch (java.util.concurrent.ExecutionException e) {
          throw new IllegalStateException("an upload worker failed", e.getCause());
        }
      }
      return results;
    } finally {
      workers.shutdownNow();
    }
  }

  UploadResult upload(Path file, RateLimiter limiter) throws InterruptedException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      return new UploadResult(file, 0, 0, 0, "cannot read: " + e.getMessage());
    }
    String key = idempotencyKey(bytes);
    UploadResult last = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      limiter.acquire();
      Duration wait = FIRST_BACKOFF.multipliedBy(1L << (attempt - 1));
      try {
        HttpResponse<String> response =
            http.send(request(bytes, key), HttpResponse.BodyHandlers.ofString());
        last = result(file, bytes.length, response);
        if (!retryable(response.statusCode())) {
          return last;
        }
        wait = retryAfter(response, wait);
      } catch (IOException e) {
        last = new UploadResult(file, bytes.length, 0, 0, e.toString());
      }
      if (attempt < ATTEMPTS) {
        Thread.sleep(wait.toMillis());
      }
    }
    return last;
  }

  /** The key RED deduplicates on: the file's content, not its name or path. */
  static String idempotencyKey(byte[] bytes) {
    try {
      return "sha256-"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private HttpRequest request(byte[] bytes, String key) {
    return HttpRequest.newBuilder(imagesUri)
        .timeout(timeout)
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/octet-stream")
        .header("Idempotency-Key", key)
        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
        .build();
  }

  private static boolean retryable(int status) {
    return status == 503 || status == 429 || status == 502 || status == 504;
  }

  private static Duration retryAfter(HttpResponse<?> response, Duration otherwise) {
    return response
        .headers()
        .firstValue("Retry-After")
        .map(
            v -> {
              try {
                return Duration.ofSeconds(Long.parseLong(v.trim()));
              } catch (NumberFormatException e) {
                return otherwise;
              }
            })
        .orElse(otherwise);
  }

  private static UploadResult result(Path file, long bytes, HttpResponse<String> response) {
    int status = response.statusCode();
    String body = response.body();
    if (status == 200 || status == 201) {
      Matcher id = IMAGE_ID.matcher(body);
      return new UploadResult(
          file, bytes, status, id.find() ? Long.parseLong(id.group(1)) : 0, null);
    }
    Matcher message = MESSAGE.matcher(body);
    return new UploadResult(
        file, bytes, status, 0, message.find() ? message.group(1) : "HTTP " + status);
  }
}
