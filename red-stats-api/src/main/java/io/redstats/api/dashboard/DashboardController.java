package io.redstats.api.dashboard;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.Hidden;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * The dashboard page (static HTML and JS under {@code static/dashboard}) and the little it must
 * know about the deployment. Neither holds data or secrets: the page asks the user for a token.
 */
@Controller
@Hidden
class DashboardController {

  /** What the page needs to connect; public, like the page itself. */
  record DashboardConfig(@JsonProperty("notifier_ws_url") String notifierWsUrl) {}

  private final DashboardProperties properties;

  DashboardController(DashboardProperties properties) {
    this.properties = properties;
  }

  @GetMapping({"/", "/dashboard", "/dashboard.html"})
  String page() {
    return "redirect:/dashboard/index.html";
  }

  @GetMapping("/dashboard/config")
  @ResponseBody
  DashboardConfig config() {
    return new DashboardConfig(properties.notifierWsUrl());
  }
}
