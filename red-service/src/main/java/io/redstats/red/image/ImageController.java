package io.redstats.red.image;

import io.redstats.contract.auth.JwtSupport;
import io.redstats.contract.auth.Scopes;
import io.redstats.red.outbox.ImageRecord;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * {@code POST /images} (raw image bytes, or multipart with a part named {@code image}) and {@code
 * GET /images/{id}}. 201 for a new image, 200 for a repeat of its {@code Idempotency-Key}.
 */
@RestController
class ImageController {

  private final ImageService service;
  private final ImageLimits limits;

  ImageController(ImageService service, ImageLimits limits) {
    this.service = service;
    this.limits = limits;
  }

  @PostMapping(
      path = "/images",
      consumes = {"image/*", MediaType.APPLICATION_OCTET_STREAM_VALUE})
  ResponseEntity<ImageView> uploadRaw(
      @AuthenticationPrincipal Jwt jwt,
      @RequestHeader(name = IdempotencyKey.HEADER, required = false) String key,
      HttpServletRequest request)
      throws IOException {
    Instant receivedAt = now();
    long clientId = clientId(jwt);
    IdempotencyKey idempotencyKey = IdempotencyKey.of(key);
    UploadBody body =
        UploadBody.read(
            request.getInputStream(), request.getContentLengthLong(), limits.maxBytes().toBytes());
    return answer(service.accept(clientId, idempotencyKey, receivedAt, body));
  }

  @PostMapping(path = "/images", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
  ResponseEntity<ImageView> uploadMultipart(
      @AuthenticationPrincipal Jwt jwt,
      @RequestHeader(name = IdempotencyKey.HEADER, required = false) String key,
      @RequestPart("image") MultipartFile image)
      throws IOException {
    Instant receivedAt = now();
    long clientId = clientId(jwt);
    IdempotencyKey idempotencyKey = IdempotencyKey.of(key);
    try (InputStream in = image.getInputStream()) {
      UploadBody body = UploadBody.read(in, image.getSize(), limits.maxBytes().toBytes());
      return answer(service.accept(clientId, idempotencyKey, receivedAt, body));
    }
  }

  /** A client sees its own images; an admin token sees every image. Others' ids are 404. */
  @GetMapping("/images/{id}")
  ResponseEntity<ImageView> get(@AuthenticationPrincipal Jwt jwt, @PathVariable("id") long id) {
    boolean admin = JwtSupport.hasScope(jwt, Scopes.ADMIN);
    Long clientId = JwtSupport.clientId(jwt);
    return service
        .find(id)
        .filter(row -> admin || (clientId != null && row.clientId() == clientId))
        .map(row -> ResponseEntity.ok(ImageView.of(row)))
        .orElseThrow(
            () ->
                new ImageRejectedException(
                    HttpStatus.NOT_FOUND, "id", "no image " + id + " for this client"));
  }

  private static ResponseEntity<ImageView> answer(ImageService.Accepted accepted) {
    ImageRecord row = accepted.image();
    if (!accepted.created()) {
      return ResponseEntity.ok(ImageView.of(row));
    }
    return ResponseEntity.created(URI.create("/images/" + row.imageId())).body(ImageView.of(row));
  }

  /** The image's timestamp: when RED received it, at the millisecond the event carries. */
  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS);
  }

  private static long clientId(Jwt jwt) {
    Long clientId = JwtSupport.clientId(jwt);
    if (clientId == null || clientId <= 0) {
      throw new ImageRejectedException(
          HttpStatus.FORBIDDEN, "token", "an upload token must carry a positive client_id");
    }
    return clientId;
  }
}
