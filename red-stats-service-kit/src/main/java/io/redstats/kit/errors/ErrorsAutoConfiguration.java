package io.redstats.kit.errors;

import org.apache.catalina.Container;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.Pipeline;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration;
import org.springframework.boot.webmvc.error.ErrorAttributes;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The JSON error body on the paths no controller advice sees: Boot's {@code /error} page ({@link
 * JsonErrorController}) and Tomcat's own error report ({@link JsonErrorReportValve}).
 */
@AutoConfiguration(before = ErrorMvcAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class ErrorsAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean(ErrorController.class)
  JsonErrorController jsonErrorController(ErrorAttributes errorAttributes) {
    return new JsonErrorController(errorAttributes);
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(Tomcat.class)
  static class TomcatErrorReport {

    /**
     * Replaces every {@link ErrorReportValve} of the host — Tomcat's default and the one Boot adds
     * — with the JSON one, once all of them are in place (when the context starts).
     */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> jsonErrorReport() {
      return factory ->
          factory.addContextCustomizers(
              context ->
                  context.addLifecycleListener(
                      event -> {
                        if (Lifecycle.BEFORE_START_EVENT.equals(event.getType())) {
                          useJsonErrorReport(context.getParent());
                        }
                      }));
    }

    private static void useJsonErrorReport(Container host) {
      if (host instanceof StandardHost standard) {
        standard.setErrorReportValveClass(JsonErrorReportValve.class.getName());
      }
      Pipeline pipeline = host.getPipeline();
      for (Valve valve : pipeline.getValves()) {
        if (valve instanceof ErrorReportValve && !(valve instanceof JsonErrorReportValve)) {
          pipeline.removeValve(valve);
        }
      }
      for (Valve valve : pipeline.getValves()) {
        if (valve instanceof JsonErrorReportValve) {
          return;
        }
      }
      pipeline.addValve(new JsonErrorReportValve());
    }
  }
}
