package org.cjassessment.service.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.cjassessment.service.Json;
import org.cjassessment.service.batch.BatchIntake;
import org.cjassessment.service.batch.BatchViews;
import org.cjassessment.service.batch.InvalidRequestException;
import org.cjassessment.service.report.HtmlReport;
import org.cjassessment.service.report.ReportDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API: batch intake and queries, health, readiness and Prometheus metrics. Every client mistake is a 4xx
 * with a JSON {@code {"error": "..."}} message; a bug is a 500 without internals.
 */
public final class HttpApi implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);

  private final Javalin app;

  private HttpApi(Javalin app) {
    this.app = app;
  }

  /**
   * @param ready whether the service can take work (database reachable, consumers running)
   */
  public static HttpApi start(String host, int port, BatchIntake intake, BatchViews views, BooleanSupplier ready,
      PrometheusMeterRegistry metrics) {
    Javalin app = Javalin.create(config -> {
      config.jetty.host = host;
      config.jetty.port = port;
      config.http.maxRequestSize = 64L * 1024 * 1024; // a batch of essays is megabytes, not kilobytes
      config.startup.showJavalinBanner = false;
      config.routes.post("/api/v1/batches", ctx -> {
        BatchIntake.Submitted s = intake.submit(BatchRequestJson.parse(ctx.bodyAsBytes()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("job_id", Long.toString(s.jobId()));
        body.put("created", s.created());
        body.put("status_url", "/api/v1/batches/" + s.jobId());
        body.put("results_url", "/api/v1/batches/" + s.jobId() + "/results");
        json(ctx.status(202), body);
      });
      config.routes.get("/api/v1/batches/{id}", ctx -> {
        long id = jobId(ctx);
        views.status(id).ifPresentOrElse(s -> json(ctx, s), () -> notFound(ctx, id));
      });
      config.routes.get("/api/v1/batches/{id}/results", ctx -> {
        long id = jobId(ctx);
        var results = views.results(id);
        if (results.isEmpty()) {
          notFound(ctx, id);
        } else if (accepts(ctx, "text/csv")) {
          ctx.contentType("text/csv; charset=utf-8").result(ResultsCsv.write(results.get().essays()));
        } else {
          json(ctx, resultsBody(id, results.get()));
        }
      });
      config.routes.get("/api/v1/batches/{id}/report", ctx -> {
        long id = jobId(ctx);
        var results = views.results(id);
        if (results.isEmpty()) {
          notFound(ctx, id);
        } else {
          String html = HtmlReport.render(ReportDocument.from(Json.mapper().valueToTree(resultsBody(id,
              results.get()))), false);
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
      config.routes.exception(InvalidRequestException.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
      config.routes.exception(BatchViews.NotReady.class, (e, ctx) -> error(ctx, 409, e.getMessage()));
      config.routes.exception(NumberFormatException.class, (e, ctx) ->
          error(ctx, 400, "job id must be a number, got '" + ctx.pathParam("id") + "'"));
      config.routes.exception(Exception.class, (e, ctx) -> {
        LOG.error("HTTP {} {} failed", ctx.method(), ctx.path(), e);
        error(ctx, 500, "internal error; see the service log");
      });
      // Javalin's own 4xx (unknown endpoint, wrong method, ...) in the same {"error": ...} shape as ours.
      config.routes.exception(io.javalin.http.HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(),
          e.getStatus() == 404 ? "no such endpoint: " + ctx.method() + " " + ctx.path() : e.getMessage()));
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

  /** The results document: what GET …/results returns as JSON and what the report is rendered from. */
  private static Map<String, Object> resultsBody(long id, BatchViews.Results results) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("job_id", Long.toString(id));
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
    body.put("essays", results.essays());
    return body;
  }

  private static long jobId(Context ctx) {
    return Long.parseLong(ctx.pathParam("id"));
  }

  private static boolean accepts(Context ctx, String type) {
    String accept = ctx.header("Accept");
    return accept != null && List.of(accept.split(",")).stream().anyMatch(a -> a.trim().startsWith(type));
  }

  private static void notFound(Context ctx, long id) {
    error(ctx, 404, "no batch with job id " + id);
  }

  private static void error(Context ctx, int status, String message) {
    json(ctx.status(status), Map.of("error", message));
  }

  private static void json(Context ctx, Object body) {
    ctx.contentType("application/json").result(Json.write(body));
  }
}
