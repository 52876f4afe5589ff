package io.redstats.kit.errors;

import org.springframework.http.HttpStatus;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * The status and words of a failure no service handler answered: Spring MVC's own refusals, the
 * container's, and bugs. Words describe the request, never the library that noticed it (its
 * messages name parsers, classes and line numbers).
 */
final class ErrorWords {

  private ErrorWords() {}

  /** The status to answer: a failure the request caused is a 4xx even when it arrives as a 500. */
  static int status(int status, Throwable error) {
    if (causedBy(error, RequestRejectedException.class)
        || causedBy(error, HttpMessageNotReadableException.class)
        || causedBy(error, org.apache.tomcat.util.http.InvalidParameterException.class)) {
      return HttpStatus.BAD_REQUEST.value();
    }
    return status;
  }

  /** The field to blame, or null. */
  static String field(Throwable error) {
    if (error instanceof MissingServletRequestParameterException e) {
      return e.getParameterName();
    }
    if (error instanceof MethodArgumentTypeMismatchException e) {
      return e.getName();
    }
    if (error instanceof MissingRequestHeaderException e) {
      return e.getHeaderName();
    }
    return null;
  }

  static String message(int status, Throwable error) {
    if (error instanceof HttpRequestMethodNotSupportedException e) {
      return e.getMethod() + " is not supported here";
    }
    if (error instanceof HttpMediaTypeNotSupportedException e) {
      return "Content-Type "
          + (e.getContentType() == null ? "(none)" : e.getContentType())
          + " is not accepted here";
    }
    if (error instanceof HttpMediaTypeNotAcceptableException) {
      return "Accept must allow application/json, the only type this service answers";
    }
    if (error instanceof MissingServletRequestParameterException
        || error instanceof MissingRequestHeaderException) {
      return "is required";
    }
    if (error instanceof MethodArgumentTypeMismatchException) {
      return "has the wrong form";
    }
    if (causedBy(error, HttpMessageNotReadableException.class)) {
      return "the request body is not readable JSON of the expected shape";
    }
    if (causedBy(error, RequestRejectedException.class)) {
      return "the request's URL, method or headers hold characters or sequences this service"
          + " refuses";
    }
    return byStatus(status);
  }

  /** Words for a status alone (Tomcat's refusals come with no exception). */
  static String byStatus(int status) {
    return switch (status) {
      case 400 -> "the request is malformed (request line, URL, headers or body)";
      case 401 -> "a bearer token is required";
      case 403 -> "this token may not do this";
      case 404 -> "not found";
      case 405 -> "this method is not supported here";
      case 406 -> "Accept must allow application/json, the only type this service answers";
      case 408 -> "the request took too long to arrive";
      case 413 -> "the request body is larger than this service accepts";
      case 414 -> "the URL is longer than this service accepts";
      case 415 -> "this Content-Type is not accepted here";
      case 431 -> "the request headers are larger than this service accepts";
      case 503 -> "the service is unavailable right now, retry later";
      default ->
          status >= 500
              ? "the service failed to answer this request; the failure is logged"
              : "the request was refused (HTTP " + status + ")";
    };
  }

  private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }
}
