package dev.nostrgate.gateway.api;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Errors that never reach a controller (a request the servlet container refuses, an exception in a filter) are
 * forwarded to {@code /error}; this answers them as problem details too, in place of Boot's own error JSON.
 */
@Hidden
@RestController
public class ProblemErrorController implements ErrorController {

    @RequestMapping("${server.error.path:${error.path:/error}}")
    public ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = code instanceof Integer value && HttpStatus.resolve(value) != null
                ? HttpStatus.valueOf(value) : HttpStatus.INTERNAL_SERVER_ERROR;
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String where = uri == null ? "" : " (" + uri + ")";
        String detail = switch (status) {
            case NOT_FOUND -> "there is nothing at " + uri + "; the API is described at /api/openapi";
            case PAYLOAD_TOO_LARGE -> "the body is larger than " + BodySizeLimit.MAX_BYTES + " bytes";
            case BAD_REQUEST -> "the request could not be read" + where + ": check the URL's percent-encoding "
                    + "and the headers";
            default -> status.is5xxServerError() ? "an internal error occurred" + where + "; it is in the "
                    + "gateway's log" : status.getReasonPhrase() + where;
        };
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        if (uri != null) {
            try {
                problem.setInstance(URI.create(uri.toString()));
            } catch (IllegalArgumentException unparsable) {
                // the path the container refused may not be a URI at all; the detail names it
            }
        }
        return new ResponseEntity<>(problem, headers, status);
    }
}
