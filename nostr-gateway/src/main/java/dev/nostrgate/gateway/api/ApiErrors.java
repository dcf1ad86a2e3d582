package dev.nostrgate.gateway.api;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.nostrgate.gateway.registry.DuplicateUrlException;
import dev.nostrgate.gateway.stats.StatsUnavailableException;
import dev.nostrgate.relay.store.StoreUnavailableException;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.jooq.exception.DataAccessException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Every refusal of the REST API as an RFC 9457 problem ({@code application/problem+json}): {@code status},
 * {@code title} (the status phrase), and a {@code detail} that says what is wrong and how to fix it; {@code field}
 * names the part of the request at fault when there is one. Spring's own exceptions (405, 415, 404, bad path
 * variables, unreadable bodies) keep their status and get a detail worth reading.
 *
 * <p>A client's mistake is logged at DEBUG in one line; an unavailable dependency at WARN; anything else is our bug
 * and is logged with its stack trace.
 */
@RestControllerAdvice
public class ApiErrors extends ResponseEntityExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

    @ExceptionHandler
    ResponseEntity<Object> invalid(InvalidRequestException e, WebRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        e.field().ifPresent(field -> problem.setProperty("field", field));
        return respond(e, problem, request);
    }

    @ExceptionHandler
    ResponseEntity<Object> unknownRelay(UnknownRelayException e, WebRequest request) {
        return respond(e, ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage()), request);
    }

    @ExceptionHandler
    ResponseEntity<Object> duplicateUrl(DuplicateUrlException e, WebRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage()
                + (e.existing() == null ? "" : ": change or remove it at /api/relays/" + e.existing()));
        problem.setProperty("field", "url");
        if (e.existing() != null) {
            problem.setProperty("existingId", e.existing());
        }
        return respond(e, problem, request);
    }

    /** A chunked body ran past the cap (a declared length over it is refused by {@link BodySizeLimit} itself). */
    @ExceptionHandler
    ResponseEntity<Object> tooLarge(BodySizeLimit.TooLarge e, WebRequest request) {
        return respond(e, ProblemDetail.forStatusAndDetail(HttpStatus.PAYLOAD_TOO_LARGE, e.getMessage()), request);
    }

    @ExceptionHandler({RelayStartException.class, AmqpException.class, DataAccessException.class,
            StoreUnavailableException.class, StatsUnavailableException.class})
    ResponseEntity<Object> unavailable(RuntimeException e, WebRequest request) {
        String detail = e instanceof StoreUnavailableException store && store.timedOut()
                ? "the query ran over its time budget (gateway.database.query-timeout) and was cancelled: narrow "
                + "the filter (authors, kinds, tags, since/until) or ask for fewer events"
                : e instanceof RelayStartException ? e.getMessage()
                : "a dependency is unavailable (" + e.getMessage() + "); retry later";
        log.warn("{} {}: {}", request.getDescription(false), HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
        return respond(e, ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, detail), request);
    }

    @ExceptionHandler
    ResponseEntity<Object> bug(Exception e, WebRequest request) {
        if (e instanceof ErrorResponse known) { // one of Spring's the superclass does not list: its own answer
            HttpHeaders headers = new HttpHeaders();
            headers.putAll(known.getHeaders());
            return respond(e, headers, known.getBody(), request);
        }
        log.error("{} failed", request.getDescription(false), e);
        return respond(e, ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "an internal error occurred (" + e.getClass().getSimpleName() + "); it is in the gateway's log"),
                request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof BodySizeLimit.TooLarge tooLarge) {
                return tooLarge(tooLarge, request);
            }
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, unreadable(e));
        if (e.getCause() instanceof JsonMappingException mapping && !path(mapping).isEmpty()) {
            problem.setProperty("field", path(mapping));
        }
        return respond(e, problem, request);
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException e, HttpHeaders headers,
                                                        HttpStatusCode status, WebRequest request) {
        String name = e instanceof MethodArgumentTypeMismatchException argument ? argument.getName()
                : String.valueOf(e.getPropertyName());
        String expected = e.getRequiredType() == java.util.UUID.class
                ? "a UUID (such as 3f2c6c1e-8f44-4b53-a8a4-2f6f8d0f3a51)"
                : "a " + (e.getRequiredType() == null ? "value" : e.getRequiredType().getSimpleName());
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, name + " must be "
                + expected + ", was \"" + RelayStatsController.shorten(String.valueOf(e.getValue())) + "\"");
        problem.setProperty("field", name);
        return respond(e, problem, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(HttpMediaTypeNotSupportedException e,
                                                                     HttpHeaders headers, HttpStatusCode status,
                                                                     WebRequest request) {
        String given = e.getContentType() == null ? "no Content-Type" : "Content-Type " + e.getContentType();
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, given + " is not accepted here: send "
                + mediaTypes(e.getSupportedMediaTypes()));
        return respond(e, headers, problem, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpRequestMethodNotSupported(HttpRequestMethodNotSupportedException e,
                                                                         HttpHeaders headers, HttpStatusCode status,
                                                                         WebRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, e.getMethod() + " is not allowed here; "
                + "allowed: " + (e.getSupportedHttpMethods() == null ? "none"
                : e.getSupportedHttpMethods().stream().map(Object::toString).sorted()
                        .collect(Collectors.joining(", "))));
        return respond(e, headers, problem, request);
    }

    @Override
    protected ResponseEntity<Object> handleNoResourceFoundException(NoResourceFoundException e, HttpHeaders headers,
                                                                    HttpStatusCode status, WebRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, "there is nothing at /"
                + e.getResourcePath() + "; the API is described at /api/openapi");
        return respond(e, headers, problem, request);
    }

    private ResponseEntity<Object> respond(Exception e, ProblemDetail problem, WebRequest request) {
        return respond(e, new HttpHeaders(), problem, request);
    }

    private ResponseEntity<Object> respond(Exception e, HttpHeaders headers, ProblemDetail problem,
                                           WebRequest request) {
        if (problem.getStatus() < 500) {
            log.debug("{} {}: {}", request.getDescription(false), problem.getStatus(), problem.getDetail());
        }
        headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return handleExceptionInternal(e, problem, headers, HttpStatusCode.valueOf(problem.getStatus()), request);
    }

    private static String mediaTypes(Collection<MediaType> types) {
        return types.isEmpty() ? "no body" : types.stream().map(MediaType::toString)
                .collect(Collectors.joining(" or "));
    }

    /** What is wrong with a body Jackson could not read, in words. */
    private static String unreadable(HttpMessageNotReadableException e) {
        Throwable cause = e.getCause();
        if (cause == null) {
            return "a JSON body is required";
        }
        if (cause instanceof JsonEOFException) {
            return "the body ends before its JSON is complete";
        }
        if (cause instanceof JsonParseException parse) {
            return "the body is not valid JSON: " + parse.getOriginalMessage() + location(parse);
        }
        if (cause instanceof UnrecognizedPropertyException unknown) {
            List<String> known = unknown.getKnownPropertyIds().stream().map(Object::toString).sorted().toList();
            return "unknown field \"" + RelayStatsController.shorten(unknown.getPropertyName()) + "\""
                    + (path(unknown).contains(".") || path(unknown).contains("[") ? " at " + path(unknown) : "")
                    + "; the fields are " + String.join(", ", known);
        }
        if (cause instanceof MismatchedInputException mismatch) {
            String path = path(mismatch);
            String expected = expected(mismatch.getTargetType());
            if (path.isEmpty()) {
                return "the body must be " + expected;
            }
            String was = mismatch instanceof InvalidFormatException format && format.getValue() != null
                    ? ", was \"" + RelayStatsController.shorten(String.valueOf(format.getValue())) + "\"" : "";
            return path + " must be " + expected + was;
        }
        return "the body could not be read: " + (cause instanceof JsonMappingException mapping
                ? mapping.getOriginalMessage() : cause.getMessage());
    }

    private static String location(JsonParseException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                + e.getLocation().getColumnNr() + ")";
    }

    /** The path of the field a Jackson error is about, like {@code filters[2]} or {@code name}; empty for the body. */
    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        if (JsonNode.class.isAssignableFrom(type)) {
            return "JSON";
        }
        return "an object" + (type.isRecord() ? " (" + type.getSimpleName().toLowerCase(Locale.ROOT) + ")" : "");
    }
}
