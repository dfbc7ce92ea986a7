package io.hooksync.infra;

import java.beans.PropertyDescriptor;
import java.lang.annotation.Annotation;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.BeanUtils;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.MethodParameter;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.util.UriUtils;

/**
 * A query parameter an {@code /api} operation does not take (a misspelt filter, {@code ?stauts=dead_letter}) is a 400
 * naming it and the ones the operation knows ({@link ApiProblems}), like an unknown JSON body field
 * ({@link StrictRequestBodies}), instead of being ignored, which answered with unfiltered results. The names an
 * operation takes are read from its handler method: its {@code @RequestParam}s and the properties of a
 * {@code @ModelAttribute} or record parameter; an operation with a {@code @RequestParam Map} takes any. The CSRF
 * token's parameter ({@code _csrf}, which Spring Security reads before MVC) is always allowed. Only Hooksync's own
 * controllers under {@code /api} are checked: Swagger, actuator, Hawtio, the pages and the login form are not.
 * Only the query string is read, never a form body.
 */
@Configuration(proxyBeanMethods = false)
class StrictQueryParameters implements WebMvcConfigurer {

    static final String API_PATHS = "/api/**";

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new Interceptor()).addPathPatterns(API_PATHS);
    }

    /** Refuses the query parameters the handler method does not take. */
    static final class Interceptor implements HandlerInterceptor {

        private static final String OWN_PACKAGE = "io.hooksync.";
        private static final String CSRF_PARAMETER = "_csrf";
        private static final ParameterNameDiscoverer NAMES = new DefaultParameterNameDiscoverer();

        /** Per handler method: the names it takes, or empty when it takes any. */
        private final Map<HandlerMethod, Optional<Set<String>>> known = new ConcurrentHashMap<>();

        @Override
        public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
            if (!(handler instanceof HandlerMethod method) || request.getQueryString() == null
                    || !method.getBeanType().getName().startsWith(OWN_PACKAGE)) {
                return true;
            }
            Optional<Set<String>> names = known.computeIfAbsent(method, Interceptor::namesOf);
            if (names.isEmpty()) {
                return true;
            }
            Set<String> allowed = names.get();
            String csrf = request.getAttribute(CsrfToken.class.getName()) instanceof CsrfToken token
                    ? token.getParameterName() : CSRF_PARAMETER;
            List<InvalidFieldsException.FieldError> errors = new ArrayList<>();
            for (String name : queryNames(request.getQueryString())) {
                if (!allowed.contains(name) && !name.equals(csrf) && !name.equals(CSRF_PARAMETER)) {
                    errors.add(new InvalidFieldsException.FieldError(name, allowed.isEmpty()
                            ? "unknown query parameter (this operation takes none)"
                            : "unknown query parameter (known: " + String.join(", ", allowed) + ")"));
                }
            }
            if (!errors.isEmpty()) {
                throw new InvalidFieldsException(errors);
            }
            return true;
        }

        /** The decoded, distinct parameter names of a query string, in order; empty names are skipped. */
        static Set<String> queryNames(String query) {
            Set<String> names = new LinkedHashSet<>();
            for (String pair : query.split("&")) {
                int equals = pair.indexOf('=');
                String name = equals < 0 ? pair : pair.substring(0, equals);
                if (!name.isEmpty()) {
                    try {
                        names.add(UriUtils.decode(name.replace('+', ' '), StandardCharsets.UTF_8));
                    } catch (IllegalArgumentException malformed) {
                        names.add(name);
                    }
                }
            }
            return names;
        }

        /** The query parameter names a handler method binds, sorted; empty when it takes any (a parameter map). */
        static Optional<Set<String>> namesOf(HandlerMethod method) {
            Set<String> names = new TreeSet<>();
            for (MethodParameter declared : method.getMethodParameters()) {
                MethodParameter parameter = new MethodParameter(declared);
                parameter.initParameterNameDiscovery(NAMES);
                RequestParam param = declared.getParameterAnnotation(RequestParam.class);
                Class<?> type = parameter.getNestedParameterType();
                if (param != null) {
                    String name = StringUtils.hasText(param.name()) ? param.name() : param.value();
                    if (!StringUtils.hasText(name) && Map.class.isAssignableFrom(type)) {
                        return Optional.empty();
                    }
                    names.add(StringUtils.hasText(name) ? name : parameter.getParameterName());
                } else if (declared.hasParameterAnnotation(ModelAttribute.class)
                        || (type.isRecord() && !bindsElsewhere(declared))) {
                    if (type.isRecord()) {
                        for (RecordComponent component : type.getRecordComponents()) {
                            names.add(component.getName());
                        }
                    } else {
                        for (PropertyDescriptor property : BeanUtils.getPropertyDescriptors(type)) {
                            if (property.getWriteMethod() != null) {
                                names.add(property.getName());
                            }
                        }
                    }
                }
            }
            return Optional.of(names);
        }

        /** Whether a parameter names another source (body, path, header, ...); {@code @Valid} alone does not. */
        private static boolean bindsElsewhere(MethodParameter parameter) {
            for (Annotation annotation : parameter.getParameterAnnotations()) {
                if (annotation.annotationType().getPackageName().equals(RequestParam.class.getPackageName())) {
                    return true;
                }
            }
            return false;
        }
    }
}
