# Reference values for annual_rate in tests/analysis/test_rate.py, computed with R's nlme
# (lme, REML) and saved as CSV (15 significant digits) so that the tests never need R.
# Run from this folder:
#   Rscript make_reference_rate.R > make_reference_rate.Rout
# Input: fvc_trial.csv (written by make_fvc_trial.py). Rows with a missing FVC are dropped.
library(nlme)
options(digits = 10)
cat("R", R.version$major, ".", R.version$minor, "; nlme", format(packageVersion("nlme")), "\n")
trial <- read.csv("fvc_trial.csv")
trial$years <- trial$day / 365.25
trial$arm <- factor(trial$arm, levels = c("placebo", "treatment"))
trial <- trial[!is.na(trial$fvc_ml), ]
cat("observations", nrow(trial), "patients", length(unique(trial$patient_id)), "\n")

fit <- lme(fvc_ml ~ years * arm, random = ~ years | patient_id, data = trial,
           method = "REML", control = lmeControl(tolerance = 1e-10, msMaxIter = 500,
                                                 maxIter = 500))
print(summary(fit))
tt <- summary(fit)$tTable
fixed <- data.frame(term = rownames(tt), estimate = tt[, "Value"], se = tt[, "Std.Error"],
                    df = tt[, "DF"], t = tt[, "t-value"], p = tt[, "p-value"])
# the slope of each arm: years, and years + years:armtreatment
V <- vcov(fit)
b <- fixef(fit)
L <- rbind(placebo = c(0, 1, 0, 0), treatment = c(0, 1, 0, 1))
slopes <- data.frame(term = paste0("slope_", rownames(L)), estimate = drop(L %*% b),
                     se = sqrt(diag(L %*% V %*% t(L))), df = NA, t = NA, p = NA)
fixed <- rbind(fixed, slopes)
ci <- intervals(fit, which = "fixed")$fixed
fixed$lower <- c(ci[, "lower"], NA, NA)
fixed$upper <- c(ci[, "upper"], NA, NA)
write.csv(fixed, "ref_lme_fixed.csv", row.names = FALSE, quote = FALSE)  # 15 digits

# variance components: random-effects SDs, their correlation, residual SD; REML log-lik
G <- getVarCov(fit)
vc <- data.frame(
  name = c("var_intercept", "var_slope", "cov_intercept_slope", "residual_var", "reml_loglik"),
  value = c(G[1, 1], G[2, 2], G[1, 2], fit$sigma^2, as.numeric(logLik(fit))))
write.csv(vc, "ref_lme_variance.csv", row.names = FALSE, quote = FALSE)
print(fixed)
print(vc)

# one group (by = None): fvc_ml ~ years
overall <- lme(fvc_ml ~ years, random = ~ years | patient_id, data = trial, method = "REML",
               control = lmeControl(tolerance = 1e-10, msMaxIter = 500, maxIter = 500))
print(summary(overall))
to <- summary(overall)$tTable
ci <- intervals(overall, which = "fixed")$fixed
ov <- data.frame(term = rownames(to), estimate = to[, "Value"], se = to[, "Std.Error"],
                 df = to[, "DF"], t = to[, "t-value"], p = to[, "p-value"],
                 lower = ci[, "lower"], upper = ci[, "upper"])
write.csv(ov, "ref_lme_overall.csv", row.names = FALSE, quote = FALSE)
print(ov)
