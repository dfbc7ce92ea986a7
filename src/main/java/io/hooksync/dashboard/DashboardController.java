package io.hooksync.dashboard;

import java.time.Clock;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.hooksync.infra.InvalidFieldsException;
import io.hooksync.infra.RefusedFiles;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The read-only API only the dashboard needs: analytics, the routes overview, refused files, and who is logged in. */
@RestController
@RequestMapping("/api")
@Tag(name = "Dashboard", description = "Analytics and the routes overview")
class DashboardController {

    private final Analytics analytics;
    private final RoutesOverview routes;
    private final Clock clock;
    private final RefusedFiles refusedFiles;

    DashboardController(Analytics analytics, RoutesOverview routes, Clock clock, RefusedFiles refusedFiles) {
        this.analytics = analytics;
        this.routes = routes;
        this.clock = clock;
        this.refusedFiles = refusedFiles;
    }

    @GetMapping("/analytics")
    @Operation(summary = "Events per source over time, ingest-to-row latency, delivery success and latency per"
            + " endpoint (window: 15m, 1h, 6h, 24h or 7d), and this instance's ingress counters")
    Analytics.Report analytics(@RequestParam(defaultValue = "1h") String window) {
        Window parsed = Window.parse(window).orElseThrow(() ->
                InvalidFieldsException.of("window", "one of 15m, 1h, 6h, 24h, 7d"));
        return analytics.report(parsed, clock.millis());
    }

    @GetMapping("/routes")
    @Operation(summary = "Every Camel route: state, counters, events applied in the last hour, last error, Hawtio link")
    List<RoutesOverview.RouteView> routes() {
        return routes.routes(clock.millis());
    }

    @GetMapping("/file-problems")
    @Operation(summary = "The route and mapping files whose last edit was refused (an older version, or nothing, runs"
            + " instead), each with its file:line problems")
    List<RefusedFiles.Refusal> fileProblems() {
        return refusedFiles.current();
    }

    @GetMapping("/me")
    @Operation(summary = "Who is logged in and whether they may change things")
    Me me(Authentication authentication) {
        boolean admin = authentication.getAuthorities().stream().anyMatch(a -> a.getAuthority().equals("ROLE_ADMIN"));
        return new Me(authentication.getName(), admin);
    }

    /** The logged-in caller and whether they may change things. */
    record Me(String name, boolean admin) {
    }
}
