package org.cjassessment.service.intake;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The upstream Content Service: {@code GET {base}/{storage_id}} → 200 with the text. */
public final class HttpContentStore implements ContentStore {

  private final String base;
  private final HttpClient client;
  private final Duration timeout;

  public HttpContentStore(String base, Duration timeout) {
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.timeout = timeout;
    this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  @Override
  public String fetch(String storageId) {
    URI uri = URI.create(base + "/" + URLEncoder.encode(storageId, StandardCharsets.UTF_8));
    HttpResponse<String> response;
    try {
      response = client.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
          HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ContentUnavailableException("content store " + base + " unreachable for storage id " + storageId
          + ": " + e.getMessage(), true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ContentUnavailableException("interrupted fetching storage id " + storageId, true);
    }
    int status = response.statusCode();
    if (status == 200 && response.body() != null && !response.body().isBlank()) {
      return response.body();
    }
    if (status == 200 || status == 404) {
      throw new ContentUnavailableException("storage id " + storageId + (status == 404 ? " not found" : " is blank")
          + " at " + base, false);
    }
    throw new ContentUnavailableException("content store " + base + " answered " + status + " for storage id "
        + storageId, status >= 500 || status == 429 || status == 408);
  }
}
