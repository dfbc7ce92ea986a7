package io.hooksync.management;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Failed logins per client address, per user at an address, and per user everywhere: after {@code maxFailures}
 * failures within one window (counted from the first) from one address, that address is refused (for every user and
 * token) until the window ends; so is the user at that address. A user is refused everywhere only after
 * {@link #SPREAD} times as many failures from any addresses: guessing spread over many addresses is still bounded, and
 * one address that tries the admin's name (a scanner on the shared port) locks out itself, not the admin. Memory is
 * bounded: at most {@code tracked} keys of each kind are remembered (Caffeine evicts by frequency, so a flood of fresh
 * names cannot push out a key under attack), each for one window.
 */
final class LoginThrottle {

    private record Window(int failures, Instant started) {
    }

    /** How many times {@code maxFailures} a user's failures from all addresses together may reach. */
    static final int SPREAD = 10;

    private final Cache<String, Window> users;
    private final Cache<String, Window> usersAtAddresses;
    private final Cache<String, Window> addresses;
    private final int maxFailures;
    private final Duration window;
    private final Clock clock;

    LoginThrottle(ManagementProperties.LoginThrottle settings, Clock clock) {
        this.maxFailures = settings.maxFailures();
        this.window = settings.window();
        this.clock = clock;
        this.users = Caffeine.newBuilder().maximumSize(settings.tracked()).expireAfterWrite(window).build();
        this.usersAtAddresses = Caffeine.newBuilder().maximumSize(settings.tracked()).expireAfterWrite(window).build();
        this.addresses = Caffeine.newBuilder().maximumSize(settings.tracked()).expireAfterWrite(window).build();
    }

    /** How long the caller must wait when the user (may be null) or the address is locked. */
    Optional<Duration> lockedFor(String user, String address) {
        Instant now = clock.instant();
        Duration longest = lockLeft(addresses.getIfPresent(address), maxFailures, now);
        if (user != null) {
            longest = longer(longest, lockLeft(usersAtAddresses.getIfPresent(key(user) + '\n' + address), maxFailures,
                    now));
            longest = longer(longest, lockLeft(users.getIfPresent(key(user)), maxFailures * SPREAD, now));
        }
        return longest.isZero() ? Optional.empty() : Optional.of(longest);
    }

    private static Duration longer(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private Duration lockLeft(Window w, int limit, Instant now) {
        if (w == null || w.failures() < limit) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(now, w.started().plus(window));
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** Counts one failed attempt for the user (null when the credential names none, e.g. a token) and address. */
    void failed(String user, String address) {
        if (user != null) {
            count(users, key(user));
            count(usersAtAddresses, key(user) + '\n' + address);
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
