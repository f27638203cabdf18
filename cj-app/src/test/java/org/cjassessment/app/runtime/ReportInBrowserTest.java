package org.cjassessment.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.cjassessment.service.Topics;
import org.cjassessment.testing.SharedInfrastructure;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The HTML report of a real batch, served by the API and opened in a real headless Chromium: the DOM after the
 * page's scripts ran has one row per essay, the anchors marked, the grade bands drawn and no script error; a
 * screenshot is kept under target/ for a person to look at. `.ci/run` installs Chromium; where it cannot be
 * installed this test is skipped, loudly.
 */
@ExtendWith(SharedInfrastructure.class)
class ReportInBrowserTest {

  private static final Path OUT = Path.of("target", "report-browser");

  @Test
  void theReportOfABatchRendersInABrowser() throws Exception {
    Path chromium = Chromium.find();
    Topics topics = Runtimes.freshTopics("report");
    ServiceConfig config = Runtimes.config(SharedInfrastructure.freshDatabase(), topics, "report");
    Map<String, String> anchors = Map.of("anchor-A", "A", "anchor-B", "B", "anchor-C", "C", "anchor-D", "D",
        "anchor-E", "E", "anchor-F", "F");
    int students = 30;
    String html;
    try (ServiceRuntime service = ServiceRuntime.start(config);
        TestJudge judge = new TestJudge(SharedInfrastructure.bootstrapServers(), topics.comparisonRequests(), 1);
        KafkaProducer<byte[], byte[]> producer = Runtimes.producer()) {
      Runtimes.send(producer, topics.requests(), Runtimes.requestEvent("report-1", "evt-r1", students, anchors, 200));
      await().atMost(Duration.ofSeconds(120))
          .until(() -> FullLifecycleTest.state(service, "report-1").equals("COMPLETED"));
      // The job id of the HTTP API is the batch's random public id (the Kafka intake's batches are the platform's).
      String job = service.jdbi().withHandle(h -> h.createQuery(
          "SELECT public_id::text FROM batches WHERE upstream_batch_id = 'report-1'").mapTo(String.class).one());
      HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + service.httpPort() + "/api/v1/batches/" + job + "/report")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t)
          .startsWith("text/html"));
      html = response.body();
    }
    Files.createDirectories(OUT);
    Path page = OUT.resolve("report.html").toAbsolutePath();
    Files.writeString(page, html, StandardCharsets.UTF_8);

    Chromium.Result dom = Chromium.run(chromium, "--dump-dom", page);
    assertThat(dom.stdout()).contains("data-ready=\"1\""); // the page's script ran to its end
    String body = dom.stdout().substring(dom.stdout().indexOf("<tbody>"), dom.stdout().indexOf("</tbody>"));
    assertThat(count(body, "<tr")).isEqualTo(students + anchors.size());
    assertThat(count(body, "<tr class=\"anchor\">")).isEqualTo(anchors.size());
    assertThat(count(dom.stdout(), "<g class=\"anchor\"")).isEqualTo(anchors.size());
    assertThat(dom.stdout()).contains("href=\"data:text/csv;charset=utf-8,");
    assertThat(consoleErrors(dom.stderr())).isEmpty();
    // the estimated grade boundaries as bands, the reliability panel and why the batch stopped
    assertThat(dom.stdout()).containsPattern("<rect class=\"band band\\d\" data-grade=")
        .contains("id=\"reliability\"", "Split-half reliability", "budget_spent");

    Chromium.Result shot = Chromium.run(chromium, "--screenshot=" + OUT.resolve("report.png").toAbsolutePath(),
        page);
    assertThat(OUT.resolve("report.png")).exists();
    assertThat(Files.size(OUT.resolve("report.png"))).isGreaterThan(10_000);
    assertThat(consoleErrors(shot.stderr())).isEmpty();
  }

  /** Console messages at error level and uncaught exceptions, as Chromium logs them with --enable-logging. */
  static List<String> consoleErrors(String stderr) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("(?m)^.*(CONSOLE.*(Uncaught|Error|error)|Uncaught ).*$").matcher(stderr);
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  private static int count(String s, String needle) {
    int n = 0;
    for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }

  /** Headless Chromium as a child process, with the flags this machine needs (INFRA-FACTS.md). */
  static final class Chromium {

    record Result(String stdout, String stderr) {}

    static Path find() {
      for (String candidate : new String[] {System.getenv("CJ_TEST_CHROMIUM"), "/usr/bin/chromium",
          "/usr/bin/chromium-browser", "/usr/bin/google-chrome"}) {
        if (candidate != null && Files.isExecutable(Path.of(candidate))) {
          return Path.of(candidate);
        }
      }
      String message = "\n*** ReportInBrowserTest SKIPPED: no Chromium found (install the Debian package "
          + "'chromium'; .ci/run does so). The report was NOT checked in a browser. ***\n";
      System.err.println(message);
      Assumptions.abort(message);
      return null;
    }

    static Result run(Path chromium, String action, Path page) throws IOException, InterruptedException {
      Path profile = Files.createTempDirectory("cj-chromium");
      List<String> command = List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
          "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
          "--disable-sync", "--hide-scrollbars", "--enable-logging=stderr", "--v=0",
          "--user-data-dir=" + profile, "--window-size=1100,1500", action, page.toUri().toString());
      Path out = Files.createTempFile("chromium", ".out");
      Path err = Files.createTempFile("chromium", ".err");
      Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(90, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("chromium did not finish in 90 s: " + Files.readString(err));
      }
      return new Result(Files.readString(out), Files.readString(err));
    }
  }
}
