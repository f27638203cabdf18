package org.cjassessment.service.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.cjassessment.service.Json;
import org.cjassessment.service.auth.Authenticator;
import org.cjassessment.service.auth.Client;
import org.cjassessment.service.batch.BatchConflictException;
import org.cjassessment.service.batch.BatchIntake;
import org.cjassessment.service.batch.BatchViews;
import org.cjassessment.service.batch.InvalidRequestException;
import org.cjassessment.service.report.HtmlReport;
import org.cjassessment.service.report.ReportDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API: batch intake and queries, health, readiness and Prometheus metrics. {@code /api/*} needs an API key
 * (bearer token) unless authentication is off; a client sees only its own batches. Every client mistake is a 4xx
 * with a JSON {@code {"error": "..."}} message that never quotes essay text; a bug is a 500 without internals.
 */
public final class HttpApi implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);

  private final Javalin app;

  private HttpApi(Javalin app) {
    this.app = app;
  }

  /**
   * @param ready whether the service can take work (database reachable, consumers running)
   * @param auth who may call {@code /api/*}; {@link Authenticator#none()} lets everyone in as the platform client
   * @param maxBodyBytes larger request bodies are refused with 413
   */
  public static HttpApi start(String host, int port, BatchIntake intake, BatchViews views, BooleanSupplier ready,
      PrometheusMeterRegistry metrics, Authenticator auth, long maxBodyBytes) {
    Javalin app = Javalin.create(config -> {
      config.jetty.host = host;
      config.jetty.port = port;
      config.http.maxRequestSize = maxBodyBytes;
      // A known path with the wrong method is 405 with Allow (below), not "no such endpoint".
      config.http.prefer405over404 = true;
      config.startup.showJavalinBanner = false;
      // Health and metrics stay open (probes and scrapers carry no keys); everything under /api needs a client.
      config.routes.before("/api/*", ctx -> ctx.attribute(CLIENT, BearerAuth.client(ctx, auth)));
      config.routes.post("/api/v1/batches", ctx -> {
        JsonContentType.require(ctx.contentType());
        byte[] body = BoundedBody.read(ctx, maxBodyBytes);
        Optional<Client> client = Optional.ofNullable(ctx.attribute(CLIENT));
        var request = BatchRequestJson.parse(body, client);
        BatchIntake.Submitted s = intake.submit(client.map(Client::clientId).orElse(Client.PLATFORM_ID), request);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("job_id", s.publicId().toString());
        out.put("created", s.created());
        out.put("status_url", "/api/v1/batches/" + s.publicId());
        out.put("results_url", "/api/v1/batches/" + s.publicId() + "/results");
        json(ctx.status(202), out);
      });
      config.routes.get("/api/v1/batches/{id}", ctx -> {
        long id = ownedJob(ctx, views);
        views.status(id).ifPresentOrElse(s -> json(ctx, s), () -> notFound(ctx));
      });
      config.routes.get("/api/v1/batches/{id}/results", ctx -> {
        long id = ownedJob(ctx, views);
        var results = views.results(id);
        if (results.isEmpty()) {
          notFound(ctx);
        } else if (accepts(ctx, "text/csv")) {
          ctx.contentType("text/csv; charset=utf-8").result(ResultsCsv.write(results.get().studentsThenAnchors()));
        } else {
          json(ctx, resultsBody(results.get(), false));
        }
      });
      config.routes.get("/api/v1/batches/{id}/report", ctx -> {
        long id = ownedJob(ctx, views);
        var results = views.results(id);
        if (results.isEmpty()) {
          notFound(ctx);
        } else {
          // The report reads one essays list, best first, anchors (is_anchor, no rank) where they sit on the scale.
          String html = HtmlReport.render(ReportDocument.from(Json.mapper().valueToTree(resultsBody(results.get(),
              true))), false);
          ctx.contentType("text/html; charset=utf-8").result(html);
        }
      });
      config.routes.get("/healthz", ctx -> json(ctx, Map.of("status", "UP")));
      config.routes.get("/readyz", ctx -> {
        boolean ok = ready.getAsBoolean();
        json(ctx.status(ok ? 200 : 503), Map.of("status", ok ? "READY" : "NOT_READY"));
      });
      config.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
          .result(metrics.scrape()));
      config.routes.exception(BearerAuth.Unauthorized.class, (e, ctx) -> {
        ctx.header("WWW-Authenticate", e.challenge());
        error(ctx, 401, e.getMessage());
      });
      config.routes.exception(BoundedBody.TooLarge.class, (e, ctx) -> error(ctx, 413, e.getMessage()));
      config.routes.exception(JsonContentType.Unsupported.class, (e, ctx) -> error(ctx, 415, e.getMessage()));
      config.routes.exception(InvalidRequestException.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
      config.routes.exception(BatchConflictException.class, (e, ctx) -> error(ctx, 409, e.getMessage()));
      config.routes.exception(BatchViews.NotReady.class, (e, ctx) -> error(ctx, 409, e.getMessage()));
      config.routes.exception(NotFound.class, (e, ctx) -> notFound(ctx));
      config.routes.exception(Exception.class, (e, ctx) -> {
        LOG.error("HTTP {} {} failed", ctx.method(), ctx.path(), e);
        error(ctx, 500, "internal error; see the service log");
      });
      // Javalin's own 4xx (unknown endpoint, wrong method, body over its limit) in the same {"error": ...} shape.
      config.routes.exception(io.javalin.http.HttpResponseException.class, (e, ctx) -> {
        if (e.getStatus() == 405) {
          String allowed = String.join(", ", e.getDetails().values());
          ctx.header("Allow", allowed);
          error(ctx, 405, ctx.method() + " is not allowed on " + ctx.path() + "; use " + allowed);
          return;
        }
        error(ctx, e.getStatus(), e.getStatus() == 404 ? "no such endpoint: " + ctx.method() + " " + ctx.path()
            : e.getStatus() == 413 ? BoundedBody.message(maxBodyBytes) : e.getMessage());
      });
    }).start();
    return new HttpApi(app);
  }

  public int port() {
    return app.port();
  }

  @Override
  public void close() {
    app.stop();
  }

  private static final String CLIENT = "cj.client";

  /** A job id that is malformed, unknown or another client's: all look the same from outside. */
  private static final class NotFound extends RuntimeException {}

  private static long ownedJob(Context ctx, BatchViews views) {
    UUID publicId;
    try {
      publicId = UUID.fromString(ctx.pathParam("id"));
    } catch (IllegalArgumentException e) {
      throw new NotFound();
    }
    Client client = ctx.attribute(CLIENT);
    return views.owned(publicId, client == null ? Client.PLATFORM_ID : client.clientId())
        .orElseThrow(NotFound::new);
  }

  /** The results document: what GET …/results returns as JSON and what the report is rendered from. */
  private static Map<String, Object> resultsBody(BatchViews.Results results, boolean anchorsAmongEssays) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("job_id", results.batch().publicId().toString());
    body.put("batch_id", results.batch().upstreamBatchId());
    body.put("outcome", results.batch().outcome());
    body.put("grade_scale", results.batch().gradeScale());
    body.put("created_at", results.batch().createdAt());
    body.put("completed_at", results.batch().completedAt());
    Map<String, Object> progress = new LinkedHashMap<>();
    progress.put("budget", results.batch().budget());
    progress.put("judged", results.batch().judged());
    progress.put("errored", results.batch().errored());
    body.put("progress", progress);
    body.put("reliability", results.reliability());
    body.putAll(results.fit()); // stop_reason, position_effect, grade_boundaries where recorded
    // Students ranked among students (1..n, as in the result event); anchors separately, unranked.
    if (anchorsAmongEssays) {
      body.put("essays", results.essays());
    } else {
      body.put("essays", results.students());
      body.put("anchors", results.anchors());
    }
    return body;
  }

  private static boolean accepts(Context ctx, String type) {
    String accept = ctx.header("Accept");
    return accept != null && List.of(accept.split(",")).stream().anyMatch(a -> a.trim().startsWith(type));
  }

  private static void notFound(Context ctx) {
    // The id is not echoed: it is the caller's input, and the answer must not tell "exists" from "not yours".
    error(ctx, 404, "no such job among your batches");
  }

  private static void error(Context ctx, int status, String message) {
    BoundedBody.discardUnread(ctx);
    json(ctx.status(status), Map.of("error", message));
  }

  private static void json(Context ctx, Object body) {
    ctx.contentType("application/json").result(Json.write(body));
  }
}
