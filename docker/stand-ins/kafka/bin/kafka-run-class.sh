#!/usr/bin/env bash
# Runs a Kafka class with the image's jars (tools: a small heap and warnings only, unless KAFKA_* options say otherwise).
exec java ${KAFKA_HEAP_OPTS:--Xmx256m} ${KAFKA_LOG4J_OPTS:--Dlog4j.configuration=file:/opt/kafka/config/tools-log4j.properties} \
  ${KAFKA_OPTS:-} -cp '/opt/kafka/libs/*' "$@"
