package io.redstats.api.security;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration
class RateLimitConfig implements WebMvcConfigurer {

  private final RateLimiter limiter;

  RateLimitConfig(RateLimitProperties properties) {
    this.limiter = new RateLimiter(properties, System::nanoTime);
  }

  @Bean
  RateLimiter rateLimiter() {
    return limiter;
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry
        .addInterceptor(new RateLimitInterceptor(limiter))
        .addPathPatterns("/stats", "/stats/**");
  }
}
