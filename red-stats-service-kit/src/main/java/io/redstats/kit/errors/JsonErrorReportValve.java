package io.redstats.kit.errors;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

/**
 * Tomcat's report of an error no servlet answered — a request line or headers it could not parse (a
 * 10 KB {@code Authorization} header), a URL it refused before any filter ran — in the JSON error
 * body instead of Tomcat's HTML page.
 */
public class JsonErrorReportValve extends ErrorReportValve {

  @Override
  protected void report(Request request, Response response, Throwable throwable) {
    int status = response.getStatus();
    if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
      return;
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    ErrorJson.write(body, ErrorWords.byStatus(status));
    try {
      response.setContentType("application/json");
      response.setContentLength(body.size());
      OutputStream out = response.getOutputStream();
      body.writeTo(out);
      response.finishResponse();
    } catch (IOException | IllegalStateException e) {
      // The connection is gone or the response was committed meanwhile: nothing left to tell.
    }
  }
}
