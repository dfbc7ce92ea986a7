package io.hooksync.management;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Failed logins per user and per client address: after {@code maxFailures} failures within one window
 * (counted from the first), that user or address is refused until the window ends. Memory is bounded:
 * at most {@code tracked} users and as many addresses are remembered (Caffeine evicts by frequency, so
 * a flood of fresh names cannot push out a key under attack), each for one window.
 */
final class LoginThrottle {

    private record Window(int failures, Instant started) {
    }

    private final Cache<String, Window> users;
    private final Cache<String, Window> addresses;
    private final int maxFailures;
    private final Duration window;
    private final Clock clock;

    LoginThrottle(ManagementProperties.LoginThrottle settings, Clock clock) {
        this.maxFailures = settings.maxFailures();
        this.window = settings.window();
        this.clock = clock;
        this.users = Caffeine.newBuilder().maximumSize(settings.tracked()).expireAfterWrite(window).build();
        this.addresses = Caffeine.newBuilder().maximumSize(settings.tracked()).expireAfterWrite(window).build();
    }

    /** How long the caller must wait when the user (may be null) or the address is locked. */
    Optional<Duration> lockedFor(String user, String address) {
        Instant now = clock.instant();
        Duration byUser = user == null ? Duration.ZERO : lockLeft(users.getIfPresent(key(user)), now);
        Duration byAddress = lockLeft(addresses.getIfPresent(address), now);
        Duration longest = byUser.compareTo(byAddress) > 0 ? byUser : byAddress;
        return longest.isZero() ? Optional.empty() : Optional.of(longest);
    }

    private Duration lockLeft(Window w, Instant now) {
        if (w == null || w.failures() < maxFailures) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(now, w.started().plus(window));
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** Counts one failed attempt for the user (null when the credential names none, e.g. a token) and address. */
    void failed(String user, String address) {
        if (user != null) {
            count(users, key(user));
        }
        count(addresses, address);
    }

    /** A user name as remembered: a form may post megabytes as a name, memory keeps at most 256 characters. */
    private static String key(String user) {
        return user == null || user.length() <= 256 ? user : user.substring(0, 256);
    }

    private void count(Cache<String, Window> cache, String key) {
        Instant now = clock.instant();
        cache.asMap().compute(key, (k, w) -> w == null || !now.isBefore(w.started().plus(window))
                ? new Window(1, now) : new Window(w.failures() + 1, w.started()));
    }
}
