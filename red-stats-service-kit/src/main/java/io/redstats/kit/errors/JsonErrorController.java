package io.redstats.kit.errors;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webmvc.error.ErrorAttributes;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.context.request.ServletWebRequest;

/**
 * Boot's error page, in the JSON error body: every failure that reaches the container — Spring
 * MVC's refusals (404, 405, 406, 415, a missing parameter), a servlet's {@code sendError}, an
 * exception no handler took — is answered here, whatever method and {@code Accept} the request had.
 * A request for {@code /error} itself is a 404: there is no such page.
 */
@Controller
@RequestMapping("${server.error.path:${error.path:/error}}")
public class JsonErrorController implements ErrorController {

  private static final Logger LOG = LoggerFactory.getLogger(JsonErrorController.class);

  private final ErrorAttributes errorAttributes;

  public JsonErrorController(ErrorAttributes errorAttributes) {
    this.errorAttributes = errorAttributes;
  }

  @RequestMapping
  void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    if (request.getDispatcherType() != DispatcherType.ERROR || !(code instanceof Integer)) {
      ErrorJson.write(response, HttpServletResponse.SC_NOT_FOUND, ErrorWords.byStatus(404));
      return;
    }
    Throwable error = errorAttributes.getError(new ServletWebRequest(request));
    int status = ErrorWords.status((Integer) code, error);
    if (status >= 500) {
      LOG.error(
          "answering {} to {} {}",
          status,
          request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI),
          request.getMethod(),
          error);
    }
    ErrorJson.write(
        response, status, ErrorBody.of(ErrorWords.field(error), ErrorWords.message(status, error)));
  }
}
