package dev.nostrgate.gateway.api;

import dev.nostrgate.gateway.GatewayState;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Adds {@code X-Gateway-Status: starting|catching-up|ready} to every {@code /api/} response, errors included (set
 * before the request is handled, so it is there whatever happens next). Registered in {@link ApiConfiguration}.
 */
public class GatewayStatusHeader extends OncePerRequestFilter {
    public static final String NAME = "X-Gateway-Status";

    private final GatewayState state;

    public GatewayStatusHeader(GatewayState state) {
        this.state = state;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader(NAME, state.phase().headerValue());
        chain.doFilter(request, response);
    }
}
