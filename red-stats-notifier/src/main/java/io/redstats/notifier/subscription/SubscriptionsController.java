package io.redstats.notifier.subscription;

import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** For operators (scope admin): the active subscriptions of every node. */
@RestController
public class SubscriptionsController {

  private final ConnectionRepository repository;

  public SubscriptionsController(ConnectionRepository repository) {
    this.repository = repository;
  }

  public record Subscriptions(List<ConnectionView> subscriptions) {}

  @GetMapping("/admin/subscriptions")
  public Subscriptions active() {
    return new Subscriptions(repository.active());
  }
}
