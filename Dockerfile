# Hooksync engine image: built from this repository, runs as a non-root user, in production mode:
# it needs HOOKSYNC_ADMIN_PASSWORD (12+ characters) and never generates one. Set HOOKSYNC_MODE=embedded
# to try the image alone (in-JVM Kafka and PostgreSQL under /app/data, a generated admin password).
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
# the dependencies in a layer of their own (go-offline would also fetch optional ones that Central lacks)
RUN ./mvnw -B -q dependency:resolve dependency:resolve-plugins -DincludeScope=runtime
COPY src src
RUN ./mvnw -B -q package -Dmaven.test.skip=true && cp target/hooksync-*.jar /src/hooksync.jar

# Java 25 runs the Java 17 build with an AOT cache (JEP 483/514/515: classes loaded and linked ahead of time, method
# profiles of the request path) written by a training run at build time: the engine is UP in a fraction of the time
# and near its steady throughput within its first minute (docs/benchmarks.md "Warm start").
FROM eclipse-temurin:25-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl openssl && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /app hooksync
WORKDIR /app
COPY --from=build /src/hooksync.jar /tmp/hooksync.jar
# Spring Boot's extracted layout (application jar + lib/): the AOT cache needs classes on the class path, not nested jars.
# (the application jar keeps the name of the jar it came from: /app/engine/hooksync.jar)
RUN java -Djarmode=tools -jar /tmp/hooksync.jar extract --destination /app/engine && rm /tmp/hooksync.jar \
    && test -f /app/engine/hooksync.jar
COPY routes /app/routes
COPY mappings /app/mappings
COPY templates /app/templates
COPY examples/payloads/github-issues-opened.json /app/examples/payloads/
COPY scripts/aot-train /app/scripts/
RUN mkdir -p /app/data /app/aot && chown -R hooksync /app/data /app/aot
USER hooksync
# Training: embedded mode (its own Kafka and PostgreSQL) on a scratch directory, 3,000 signed webhooks, then a stop;
# it runs before the production-mode ENV below, so it needs no admin password or encryption key.
RUN HOOKSYNC_MODE=embedded JAVA_OPTS="-XX:MaxRAMPercentage=75" \
    scripts/aot-train /app/engine/hooksync.jar /app/aot/hooksync.aot 3000
ENV HOOKSYNC_MODE=production \
    HOOKSYNC_ROUTES_DIR=/app/routes HOOKSYNC_MAPPINGS_DIR=/app/mappings HOOKSYNC_DATA_DIR=/app/data
EXPOSE 8080
# anonymous health is only {"status":...}; curl -f fails on 503 (DOWN)
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/actuator/health || exit 1
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:AOTCache=/app/aot/hooksync.aot", "-jar", "/app/engine/hooksync.jar"]
