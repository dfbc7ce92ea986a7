package io.hooksync.infra;

import java.net.InetAddress;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * In production mode ({@code hooksync.mode=production}) warns once at startup when webhooks and the
 * management plane are served as plain HTTP on an address other than loopback, and neither TLS
 * ({@code server.ssl.*}) nor a TLS-terminating proxy ({@code server.forward-headers-strategy}) is set up.
 */
@Component
class TransportSecurityCheck implements ApplicationListener<ApplicationReadyEvent> {

    private static final Logger log = LoggerFactory.getLogger(TransportSecurityCheck.class);

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        Environment env = event.getApplicationContext().getEnvironment();
        if (!event.getApplicationContext().getBean(InfraProperties.class).production()) {
            return;
        }
        String problem = problem(env);
        if (problem != null) {
            int port = event.getApplicationContext() instanceof WebServerApplicationContext web
                    ? web.getWebServer().getPort() : env.getProperty("server.port", Integer.class, 8080);
            log.warn("""

                    Webhook ingress and the management API are served as PLAIN HTTP on {}:{} ({}).
                    Signatures protect webhooks against forgery, not against being read; credentials for the API travel
                    in the clear. Serve TLS (server.ssl.bundle, see README "HTTPS") or put a TLS-terminating proxy in
                    front and set server.forward-headers-strategy=native.""",
                    env.getProperty("server.address", "0.0.0.0"), port, problem);
        }
    }

    /** Why the transport is insecure, or null. */
    static String problem(Environment env) {
        boolean tls = env.getProperty("server.ssl.enabled", Boolean.class, false)
                || env.getProperty("server.ssl.bundle") != null || env.getProperty("server.ssl.key-store") != null
                || env.getProperty("server.ssl.certificate") != null;
        if (tls) {
            return null;
        }
        String strategy = env.getProperty("server.forward-headers-strategy", "none");
        if (!"none".equalsIgnoreCase(strategy)) {
            return null;
        }
        String address = env.getProperty("server.address");
        if (address != null) {
            try {
                if (InetAddress.getByName(address).isLoopbackAddress()) {
                    return null;
                }
            } catch (Exception e) {
                return "server.address " + address + " does not resolve";
            }
        }
        return "no server.ssl and no server.forward-headers-strategy";
    }
}
