package io.hooksync.ingress;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;

/**
 * The per-client-address limit that applies before anything is read or verified, so one address cannot
 * spend the engine's CPU on junk. One Resilience4j limiter per address, kept in a bounded Caffeine cache
 * (at most {@value #MAX_ADDRESSES} addresses, each forgotten after two idle periods), so a spray of
 * addresses cannot grow memory. {@code requests <= 0} turns it off.
 */
final class ClientRateLimits {

    static final int MAX_ADDRESSES = 100_000;

    private final RateLimiterConfig config;
    private final Cache<String, RateLimiter> limiters;

    ClientRateLimits(IngressProperties.RateLimit limit) {
        if (limit == null || limit.requests() <= 0) {
            this.config = null;
            this.limiters = null;
            return;
        }
        this.config = RateLimiterConfig.custom().limitForPeriod(limit.requests()).limitRefreshPeriod(limit.per())
                .timeoutDuration(Duration.ZERO).build();
        this.limiters = Caffeine.newBuilder().maximumSize(MAX_ADDRESSES)
                .expireAfterAccess(limit.per().multipliedBy(2).plusSeconds(1)).build();
    }

    /** Empty when {@code address} may go on; else the seconds it should wait. */
    OptionalLong acquire(String address) {
        if (limiters == null) {
            return OptionalLong.empty();
        }
        RateLimiter limiter = limiters.get(address == null ? "" : address, a -> RateLimiter.of("client", config));
        return limiter.acquirePermission() ? OptionalLong.empty() : OptionalLong.of(secondsToWait(limiter));
    }

    static long secondsToWait(RateLimiter limiter) {
        long nanos = limiter instanceof AtomicRateLimiter atomic
                ? atomic.getDetailedMetrics().getNanosToWait()
                : limiter.getRateLimiterConfig().getLimitRefreshPeriod().toNanos();
        return Math.max(1, TimeUnit.NANOSECONDS.toSeconds(nanos + 999_999_999L));
    }
}
