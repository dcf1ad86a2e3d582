package dev.nostrgate.gateway.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nostrgate.gateway.GatewayState;
import dev.nostrgate.gateway.config.GatewayProperties;
import dev.nostrgate.gateway.connector.RelayLifecycle;
import dev.nostrgate.gateway.fleet.FleetProperties;
import dev.nostrgate.gateway.fleet.LeaseKeeper;
import dev.nostrgate.gateway.registry.RelayRegistry;
import dev.nostrgate.gateway.stats.RelayCounters;
import dev.nostrgate.gateway.stats.StatsRepository;
import dev.nostrgate.gateway.topology.RelayTopology;
import java.time.Clock;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The dashboard: static files under {@code classpath:/static/dashboard/} (plain ES modules, no build step), uPlot
 * from its WebJar at {@code /webjars/uplot/...}, its data from {@code /api/overview} and its forms on the relays API.
 * {@code /} leads to it.
 */
@Configuration(proxyBeanMethods = false)
public class DashboardConfiguration implements WebMvcConfigurer {

    @Bean
    OverviewSampler overviewSampler(GatewayState state, RelayRegistry registry, RelayLifecycle lifecycle,
                                    RelayCounters counters, StatsRepository stats, RelayTopology topology,
                                    GatewayProperties properties, LeaseKeeper keeper, FleetProperties fleet,
                                    ObjectMapper json) {
        return new OverviewSampler(new GatewayReadings(state, registry, lifecycle, counters, stats, topology,
                keeper::fleet, fleet.leaseTtl(), Clock.systemUTC()), properties.overviewInterval(),
                overview -> write(json, overview));
    }

    private static byte[] write(ObjectMapper json, Overview overview) {
        try {
            return json.writeValueAsBytes(overview);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the overview could not be written as JSON", e);
        }
    }

    @Bean
    FilterRegistrationBean<SecurityHeaders> dashboardSecurityHeaders() {
        FilterRegistrationBean<SecurityHeaders> registration = new FilterRegistrationBean<>(new SecurityHeaders());
        registration.addUrlPatterns("/dashboard/*", "/webjars/*");
        return registration;
    }

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/", "/dashboard/");
        registry.addRedirectViewController("/dashboard", "/dashboard/");
        registry.addViewController("/dashboard/").setViewName("forward:/dashboard/index.html");
    }
}
