package io.redstats.red.upload;

import java.nio.file.Path;

/**
 * How one file's upload ended.
 *
 * @param status the HTTP status of the last attempt, or 0 when no answer came
 * @param imageId the image RED assigned, or 0 when it refused the file
 * @param message RED's error message or the I/O error; null on success
 */
record UploadResult(Path file, long bytes, int status, long imageId, String message) {

  boolean created() {
    return status == 201;
  }

  /** 200: RED already had this file's key (an earlier or a concurrent run uploaded it). */
  boolean alreadyThere() {
    return status == 200;
  }

  boolean failed() {
    return !created() && !alreadyThere();
  }
}
