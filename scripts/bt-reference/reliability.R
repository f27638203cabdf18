#!/usr/bin/env Rscript
## ---------------------------------------------------------------------------
## Reliability on real comparative-judgement data, computed independently of the Java code.
##
## Writes cj-core/src/test/resources/bt-reference/real/<dataset>/meta.csv next to the committed
## comparisons.csv (judge,winner,loser), for RealDataReliabilityTest.
##
## Data: Kinnear, Jones & Davies (2025), "Comparative judgement as a research tool: a meta-analysis of application
## and reliability", https://doi.org/10.31219/osf.io/c9q3b_v1, repository github.com/georgekinnear/cj-meta-analysis
## (data/<session>.csv, columns judge, candidate_chosen, candidate_not_chosen). Sessions used:
##   bramley2018_1b  Bramley & Vitello (2019), 20 GCSE English essays, 180 comparisons (18 per essay), 7 judges
##   esen2019        Esen (2019), 8 competence statements, 12,852 comparisons by 459 judges
## The same repository publishes the authors' own sirt::btm results for these sessions (data-cache/<session>/
## btm_ssr.csv, btm_results.csv), computed with sirt::btm(data, judge, maxit = 400, fix.eta = 0, ignore.ties = TRUE).
##
## Why a re-implementation of sirt::btm: sirt is the field's reference for CJ reliability (mle.rel), but it is not a
## Debian package and CRAN is not reachable from this machine. sirt_btm() below follows sirt's R/btm.R (version 1.541,
## github.com/alexanderrobitzsch/sirt) for the options the authors used: the "epsilon-adjusted" scores
## (eps = 0.3 towards 50 % for every essay), a diagonal Newton step trimmed to a shrinking maximum, SE = 1/sqrt of the
## information's diagonal, mle.rel = 1 - mean(SE^2) / var(theta). The script checks the re-implementation against
## the authors' published sirt output before writing anything.
##
## Our own figures are computed here independently too: the plain MLE with BradleyTerry2 and the centred covariance
## C V C, and the MAP with a N(0, 3^2) prior by Newton-Raphson with the centred posterior covariance.
## ---------------------------------------------------------------------------

suppressPackageStartupMessages(library(BradleyTerry2))

cmd_args  <- commandArgs(trailingOnly = FALSE)
file_arg  <- sub("^--file=", "", cmd_args[grep("^--file=", cmd_args)])
script_dir <- if (length(file_arg) == 1) dirname(normalizePath(file_arg)) else getwd()
repo_root <- normalizePath(file.path(script_dir, "..", ".."))
real_root <- file.path(repo_root, "cj-core", "src", "test", "resources", "bt-reference", "real")
fmt <- function(x) sprintf("%.15g", x)
check_close <- function(a, b, what, tol) {
  d <- max(abs(as.numeric(a) - as.numeric(b)))
  if (!is.finite(d) || d > tol) stop(sprintf("CHECK FAILED: %s (max abs diff %.3g > %.1g)", what, d, tol), call. = FALSE)
  cat(sprintf("    ok  %-60s max|diff| = %.2e\n", what, d))
}

## ---- sirt::btm, re-implemented for ignore.ties = TRUE, fix.eta = 0 (no ties, no home effect) -----------------
sirt_btm <- function(winner, loser, eps = 0.3, maxiter = 400, conv = 1e-4) {
  teams <- sort(unique(c(winner, loser)))
  p1 <- match(winner, teams); p2 <- match(loser, teams)      # sirt's column 1 = the winner, result = 1
  TP <- length(teams)
  wins <- tabulate(p1, TP); total <- wins + tabulate(p2, TP)
  score <- eps + (total - 2 * eps) * wins / total              # sirt's epsilon adjustment (also used in the gradient)
  propscore <- score / total
  theta <- qlogis((propscore + .1) / 1.2); theta <- theta - mean(theta)
  maxincr <- 1; iter <- 0; change <- Inf
  while (iter < maxiter && change > conv) {
    theta0 <- theta
    p <- plogis(theta[p1] - theta[p2])                         # P(player 1 wins); ties have probability ~exp(-99)
    maxincr <- maxincr * .98
    d1 <- score - (tabulate_w(p1, p, TP) + tabulate_w(p2, 1 - p, TP))
    d2 <- 1e-20 + tabulate_w(p1, p * (1 - p), TP) + tabulate_w(p2, p * (1 - p), TP)
    incr <- d1 / d2
    incr <- ifelse(abs(incr) > maxincr, maxincr * sign(incr), incr)
    theta <- theta + incr
    se <- sqrt(1 / d2)
    theta <- theta - mean(theta)
    iter <- iter + 1
    change <- max(abs(theta - theta0))
  }
  list(teams = teams, theta = theta, se = se, mle.rel = 1 - mean(se^2) / var(theta), iter = iter)
}
tabulate_w <- function(index, w, n) { out <- numeric(n); s <- rowsum(w, index); out[as.integer(rownames(s))] <- s; out }

## ---- our definitions, independently -------------------------------------------------------------------------
ssr <- function(theta, se) { v <- var(theta); max(0, min(1, (v - mean(se^2)) / v)) }

mle_fit <- function(winner, loser, ids) {
  df <- data.frame(y = rep(1L, length(winner)))
  df$p1 <- factor(winner, levels = ids); df$p2 <- factor(loser, levels = ids)
  m <- BTm(outcome = y, player1 = p1, player2 = p2, id = "essay", data = df, refcat = ids[1],
           control = glm.control(epsilon = 1e-14, maxit = 100))
  m <- BTm(outcome = y, player1 = p1, player2 = p2, id = "essay", data = df, refcat = ids[1],
           start = coef(m), control = glm.control(epsilon = 1e-14, maxit = 100))   # glm's vcov lags one iteration
  n <- length(ids)
  beta <- c(0, coef(m)); V <- matrix(0, n, n); V[-1, -1] <- vcov(m)
  C <- diag(n) - matrix(1 / n, n, n)
  list(theta = as.vector(C %*% beta), se = sqrt(diag(C %*% V %*% C)))
}

map_fit <- function(winner, loser, ids, sd) {
  n <- length(ids); w <- match(winner, ids); l <- match(loser, ids)
  X <- matrix(0, length(w), n); X[cbind(seq_along(w), w)] <- 1; X[cbind(seq_along(l), l)] <- -1
  beta <- rep(0, n)
  for (it in 1:100) {
    p <- plogis(as.vector(X %*% beta))
    g <- as.vector(crossprod(X, 1 - p)) - beta / sd^2
    H <- crossprod(X, (p * (1 - p)) * X) + diag(n) / sd^2
    step <- solve(H, g); beta <- beta + step
    if (max(abs(step)) < 1e-13) break
  }
  p <- plogis(as.vector(X %*% beta))
  I <- crossprod(X, (p * (1 - p)) * X)
  H <- I + diag(n) / sd^2
  C <- diag(n) - matrix(1 / n, n, n)
  V <- solve(H)
  ## se_uncentred: what the Java code reported before issue 7 (includes the level's prior variance sd^2/n).
  ## se_sampling: the MAP's sampling SD over repetitions of the judging, the sandwich H^-1 I H^-1 (centred by
  ## itself, since I 1 = 0): what SSR counts as error under the prior since issue 7.
  list(theta = beta, se = sqrt(diag(C %*% V %*% C)), se_uncentred = sqrt(diag(V)),
       se_sampling = sqrt(diag(V %*% I %*% V)))
}

## ---- datasets ------------------------------------------------------------------------------------------------
## Published by the meta-analysis authors from sirt::btm itself (data-cache/<session>/btm_ssr.csv and the first row
## of btm_results.csv), and their median split-half correlation (100 random splits of the judges, sirt::btm on each
## half, Pearson correlation, not Spearman-Brown corrected; data/01-meta-analysis-data.csv).
published <- list(
  bramley2018_1b = list(mle.rel = 0.753327620372944, individual = "12", theta = 2.246303863529474,
                        se = 0.7528233616619462, median_split_corr = 0.6408402435217906),
  esen2019 = list(mle.rel = 0.9938275248440686, individual = "C", theta = 0.6051846129782961,
                  se = 0.03780128336898025, median_split_corr = 0.9847176221252454))

for (name in names(published)) {
  cat(sprintf("\n[%s]\n", name))
  d <- read.csv(file.path(real_root, name, "comparisons.csv"), colClasses = "character")
  ids <- sort(unique(c(d$winner, d$loser)))
  s <- sirt_btm(d$winner, d$loser)
  pub <- published[[name]]
  k <- match(pub$individual, s$teams)
  check_close(s$mle.rel, pub$mle.rel, "re-implemented sirt mle.rel vs published sirt::btm", 1e-6)
  check_close(c(s$theta[k], s$se[k]), c(pub$theta, pub$se), "re-implemented sirt theta, se vs published", 1e-6)
  mle <- mle_fit(d$winner, d$loser, ids)
  map <- map_fit(d$winner, d$loser, ids, 3)
  meta <- list(source = "github.com/georgekinnear/cj-meta-analysis", n_essays = length(ids),
               n_comparisons = nrow(d), n_judges = length(unique(d$judge)),
               sirt_mle_rel = s$mle.rel, sirt_mle_rel_published = pub$mle.rel,
               published_median_split_corr = pub$median_split_corr,
               ssr_mle = ssr(mle$theta, mle$se), ssr_map_sd3 = ssr(map$theta, map$se_sampling),
               ssr_map_sd3_posterior_se = ssr(map$theta, map$se),
               ssr_map_sd3_uncentred_se = ssr(map$theta, map$se_uncentred))
  cat(sprintf(paste("    sirt mle.rel %.4f | SSR MLE %.4f | SSR MAP(3) sampling SE %.4f | centred posterior SE",
                    "%.4f | uncentred (old) %.4f\n"), meta$sirt_mle_rel, meta$ssr_mle, meta$ssr_map_sd3,
              meta$ssr_map_sd3_posterior_se, meta$ssr_map_sd3_uncentred_se))
  vals <- vapply(meta, function(v) if (is.numeric(v)) fmt(v) else as.character(v), "")
  writeLines(c("key,value", paste(names(meta), vals, sep = ",")), file.path(real_root, name, "meta.csv"))
}
cat("\nAll checks passed.\n")
