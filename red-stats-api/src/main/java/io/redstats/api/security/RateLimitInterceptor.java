package io.redstats.api.security;

import io.redstats.kit.errors.ErrorBody;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.servlet.HandlerInterceptor;
import tools.jackson.databind.json.JsonMapper;

/** 429 with {@code Retry-After} when a token's subject exceeds its budget. */
class RateLimitInterceptor implements HandlerInterceptor {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final RateLimiter limiter;

  RateLimitInterceptor(RateLimiter limiter) {
    this.limiter = limiter;
  }

  @Override
  public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object h)
      throws IOException {
    Authentication auth = SecurityContextHolder.getContext().getAuthentication();
    if (auth == null) {
      return true; // security already refused it, or the endpoint is public
    }
    Duration wait = limiter.acquire(Objects.requireNonNullElse(auth.getName(), ""));
    if (wait == null) {
      return true;
    }
    long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
    response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
    response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    JSON.writeValue(
        response.getOutputStream(),
        ErrorBody.of("too many requests for this token, retry after " + seconds + " s"));
    return false;
  }
}
