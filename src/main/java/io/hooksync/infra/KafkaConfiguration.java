package io.hooksync.infra;

import java.util.Arrays;
import java.util.Map;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.spi.ComponentCustomizer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Points Camel's Kafka component at the backbone and provides the shared Kafka admin, health and topics. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(InfraProperties.class)
class KafkaConfiguration {

    static final String BACKBONE_BEAN = "kafkaBackbone";
    static final String CAMEL_CONTEXT_BEAN = "camelContext";

    /** Routes that say {@code kafka:topic} use the backbone's brokers. */
    @Bean
    ComponentCustomizer hooksyncKafkaComponentCustomizer(KafkaBackbone backbone) {
        return ComponentCustomizer.builder(KafkaComponent.class)
                .build(component -> component.getConfiguration().setBrokers(backbone.bootstrapServers()));
    }

    /** One admin client for health checks and topic creation, closed with the context. */
    @Bean(destroyMethod = "close")
    Admin hooksyncKafkaAdmin(KafkaBackbone backbone) {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, backbone.bootstrapServers(),
                AdminClientConfig.CLIENT_ID_CONFIG, "hooksync-admin",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
    }

    /** Shown as {@code kafka} in /actuator/health. */
    @Bean
    KafkaHealthIndicator kafkaHealthIndicator(Admin hooksyncKafkaAdmin, KafkaBackbone backbone) {
        return new KafkaHealthIndicator(hooksyncKafkaAdmin, backbone);
    }

    @Bean
    TopicAdmin topicAdmin(Admin hooksyncKafkaAdmin, InfraProperties properties) {
        return new TopicAdmin(hooksyncKafkaAdmin, properties.kafka().partitions(),
                (short) properties.kafka().replicationFactor(), properties.kafka().eventRetention());
    }

    /** Makes the Camel context depend on the backbone, so an embedded broker serves before routes start. */
    @Bean
    static BeanFactoryPostProcessor camelContextAfterKafkaBackbone() {
        return beanFactory -> {
            if (beanFactory.containsBeanDefinition(CAMEL_CONTEXT_BEAN)
                    && beanFactory.containsBeanDefinition(BACKBONE_BEAN)) {
                BeanDefinition camel = beanFactory.getBeanDefinition(CAMEL_CONTEXT_BEAN);
                String[] dependsOn = camel.getDependsOn() == null ? new String[0] : camel.getDependsOn();
                if (!Arrays.asList(dependsOn).contains(BACKBONE_BEAN)) {
                    String[] extended = Arrays.copyOf(dependsOn, dependsOn.length + 1);
                    extended[dependsOn.length] = BACKBONE_BEAN;
                    camel.setDependsOn(extended);
                }
            }
        };
    }
}
