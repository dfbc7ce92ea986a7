# Hooksync engine image: built from this repository, runs as a non-root user, in production mode:
# it needs HOOKSYNC_ADMIN_PASSWORD (12+ characters) and never generates one. Set HOOKSYNC_MODE=embedded
# to try the image alone (in-JVM Kafka and PostgreSQL under /app/data, a generated admin password).
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
RUN ./mvnw -B -q dependency:go-offline
COPY src src
RUN ./mvnw -B -q package -DskipTests && cp target/hooksync-*.jar /src/hooksync.jar

FROM eclipse-temurin:17-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /app hooksync
WORKDIR /app
COPY --from=build /src/hooksync.jar /app/hooksync.jar
COPY routes /app/routes
COPY mappings /app/mappings
COPY templates /app/templates
RUN mkdir -p /app/data && chown -R hooksync /app/data
USER hooksync
ENV HOOKSYNC_MODE=production \
    HOOKSYNC_ROUTES_DIR=/app/routes HOOKSYNC_MAPPINGS_DIR=/app/mappings HOOKSYNC_DATA_DIR=/app/data
EXPOSE 8080
# anonymous health is only {"status":...}; curl -f fails on 503 (DOWN)
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/actuator/health || exit 1
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/hooksync.jar"]
