package io.redstats.kit.security;

import io.redstats.kit.ServiceKitProperties.Visibility;
import org.springframework.security.access.AccessDeniedException;

/**
 * Whose images a caller may see — counts in the API, alerts in the notifier — decided from the
 * token's claims alone (no look-up per request).
 *
 * <p>An admin token, or any token when visibility is {@code all}, sees what it asks for (null:
 * every client). Under {@code own} a client token sees its own client: asking for none narrows to
 * it, asking for another is refused; a token for no client and without admin sees nothing.
 */
public final class VisibilityRule {

  static final String NO_CLIENT =
      "this token acts for no client_id; ask for a client token or an admin token";

  private final Visibility visibility;

  public VisibilityRule(Visibility visibility) {
    this.visibility = visibility;
  }

  /**
   * @param requested the client_id the caller asks for, or null
   * @return the client to show, or null for every client
   * @throws Denied when the caller may not see what it asks for (403)
   */
  public Long visibleClient(Caller caller, Long requested) {
    return visibleClient(caller.clientId(), caller.admin(), requested);
  }

  /**
   * The same rule for a caller known by its claims.
   *
   * @param own the client the caller's token acts for, or null
   * @param admin whether the token holds scope admin
   */
  public Long visibleClient(Long own, boolean admin, Long requested) {
    if (visibility == Visibility.ALL || admin) {
      return requested;
    }
    if (own == null) {
      throw new Denied(NO_CLIENT);
    }
    if (requested != null && !requested.equals(own)) {
      throw new Denied("a client token sees only its own client_id " + own);
    }
    return own;
  }

  /**
   * A refusal of this rule: answered 403 with its own message (the token's scope was fine; the
   * client it asked for was not).
   */
  public static final class Denied extends AccessDeniedException {

    private static final long serialVersionUID = 1L;

    Denied(String message) {
      super(message);
    }
  }
}
