package io.hooksync.infra;

import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;

/**
 * Errors Tomcat raises itself, before any filter or controller sees the request (an encoded slash or NUL in the
 * path, a malformed request line or header), are answered as RFC 9457 problem+json like every other refusal,
 * instead of Tomcat's HTML page: Tomcat's {@link ErrorReportValve} on the host is replaced by one that writes
 * problems ({@link ProblemReportValve}). It only reports what nothing else answered (an error response without a
 * body).
 */
@Component
class ContainerErrorProblems implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addContextCustomizers(context -> {
            // the host adds a valve of this class when it starts, and Tomcat also uses it for errors found before a
            // request is mapped (an invalid URI); Spring Boot's own HTML report valve is taken out
            ((StandardHost) context.getParent()).setErrorReportValveClass(ProblemReportValve.class.getName());
            var pipeline = context.getParent().getPipeline();
            for (Valve valve : pipeline.getValves()) {
                if (valve instanceof ErrorReportValve && !(valve instanceof ProblemReportValve)) {
                    pipeline.removeValve(valve);
                }
            }
        });
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;   // after Spring Boot's own customizer, which adds an HTML report valve
    }
}
