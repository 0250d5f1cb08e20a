package io.zkpfl.node;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.LinkedHashMap;
import java.util.Map;

/** RFC 9457 problem details ({@code application/problem+json}) for every error the API returns. */
@Provider
public class Problems implements ExceptionMapper<WebApplicationException> {

    static final String TYPE = "application/problem+json";

    static Response of(int status, String title, String detail, Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        if (extra != null) {
            body.putAll(extra);
        }
        return Response.status(status).type(TYPE).entity(body).build();
    }

    static Response badRequest(String detail) {
        return of(400, "bad request", detail, null);
    }

    @Override
    public Response toResponse(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        return of(status, Response.Status.fromStatusCode(status) == null ? "error"
                : Response.Status.fromStatusCode(status).getReasonPhrase(), e.getMessage(), null);
    }
}
