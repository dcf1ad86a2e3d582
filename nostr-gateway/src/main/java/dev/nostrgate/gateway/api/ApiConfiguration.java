package dev.nostrgate.gateway.api;

import dev.nostrgate.gateway.GatewayState;
import io.swagger.v3.oas.models.OpenAPI;
import org.apache.catalina.filters.FailedRequestFilter;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The REST API's pieces that are not controllers: the status header and the OpenAPI document's title. */
@Configuration(proxyBeanMethods = false)
public class ApiConfiguration {

    @Bean
    FilterRegistrationBean<GatewayStatusHeader> gatewayStatusHeader(GatewayState state) {
        FilterRegistrationBean<GatewayStatusHeader> registration =
                new FilterRegistrationBean<>(new GatewayStatusHeader(state));
        registration.addUrlPatterns("/api/*");
        return registration;
    }

    @Bean
    FilterRegistrationBean<BodySizeLimit> bodySizeLimit() {
        FilterRegistrationBean<BodySizeLimit> registration = new FilterRegistrationBean<>(new BodySizeLimit());
        registration.addUrlPatterns("/api/*");
        return registration;
    }

    /**
     * Query parameters the container cannot decode ({@code kinds=%zz}) are dropped by Tomcat, silently: a filter
     * would then mean more than was asked. Tomcat's own filter answers 400 instead (as a problem, through
     * {@link ProblemErrorController}).
     */
    @Bean
    FilterRegistrationBean<FailedRequestFilter> undecodableParameters() {
        FilterRegistrationBean<FailedRequestFilter> registration =
                new FilterRegistrationBean<>(new FailedRequestFilter());
        registration.addUrlPatterns("/api/*");
        return registration;
    }

    /**
     * The API's JSON is read strictly: a number or a boolean where a string is expected ({@code "url": 5}), or a
     * string where a boolean is ({@code "paused": "yes"}), is refused instead of converted. (Unknown fields and keys
     * given twice are refused through spring.jackson.* in application.properties.)
     */
    @Bean
    Jackson2ObjectMapperBuilderCustomizer strictScalars() {
        return builder -> builder.postConfigurer(mapper -> {
            mapper.coercionConfigFor(LogicalType.Textual)
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
            mapper.coercionConfigFor(LogicalType.Boolean)
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        });
    }

    /** Served at {@code /api/openapi} (springdoc, {@code springdoc.api-docs.path}). */
    @Bean
    OpenAPI gatewayOpenApi() {
        return new OpenAPI().info(new Info()
                .title("nostr-gateway admin and query API")
                .version("v1")
                .description("Register remote Nostr relays to aggregate (one RabbitMQ exchange, queue and consumer "
                        + "per relay), watch their state and statistics, and query the aggregated events. Errors "
                        + "are RFC 9457 problem details (application/problem+json). Every /api response carries "
                        + "X-Gateway-Status: starting | catching-up | ready.")
                .license(new License().name("see LICENSE")));
    }
}
