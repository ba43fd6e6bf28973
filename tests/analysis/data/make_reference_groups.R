# Reference values for kaplan_meier(group=), logrank(rho=) and cox_ph in
# tests/analysis/test_survival.py, computed with R's survival package and saved as CSV
# (15 significant digits) so that the tests never need R. Run from this folder:
#   Rscript make_reference_groups.R > make_reference_groups.Rout
# Inputs: demo_survival.csv (the demo cohort's overall survival, written by
# export_demo_survival.py), aml.csv and ovarian.csv (R's own data sets).
library(survival)
options(digits = 10)
cat("R", R.version$major, ".", R.version$minor, "; survival", format(packageVersion("survival")), "\n")
demo <- read.csv("demo_survival.csv")
aml <- read.csv("aml.csv")
ovarian <- read.csv("ovarian.csv")
ovarian$rx <- factor(ovarian$rx)

# --- Kaplan-Meier by group: every time (deaths and censorings), summary.survfit's std.err
# (of the survival estimate)
km_rows <- function(data_name, formula, data) {
  out <- list()
  for (ct in c("log", "log-log", "plain")) {
    fit <- survfit(formula, data = data, conf.type = ct)
    s <- summary(fit, censored = TRUE)
    out[[ct]] <- data.frame(
      data = data_name, conf_type = ct,
      group = sub("^[^=]*=", "", as.character(s$strata)),
      time = s$time, n_risk = s$n.risk, n_event = s$n.event, n_censor = s$n.censor,
      survival = s$surv, std_err = s$std.err, lower = s$lower, upper = s$upper
    )
    print(fit)
  }
  do.call(rbind, out)
}
km <- rbind(
  km_rows("demo", Surv(time, event) ~ subset, demo),
  km_rows("aml", Surv(time, status) ~ x, aml)
)
write.csv(km, "ref_survfit_groups.csv", row.names = FALSE)

# --- survdiff, rho = 0 (log-rank) and rho = 1 (Peto-Peto / Gehan-Wilcoxon type)
sd_rows <- function(data_name, formula, data) {
  out <- list()
  for (rho in c(0, 0.5, 1)) {
    fit <- survdiff(formula, data = data, rho = rho)
    print(fit)
    out[[as.character(rho)]] <- data.frame(
      data = data_name, rho = rho,
      group = sub("^[^=]*=", "", names(fit$n)), n = as.vector(fit$n),
      observed = fit$obs, expected = fit$exp, var = diag(fit$var),
      chisq = fit$chisq, df = length(fit$n) - 1,
      p = pchisq(fit$chisq, length(fit$n) - 1, lower.tail = FALSE)
    )
  }
  do.call(rbind, out)
}
sd <- rbind(
  sd_rows("demo", Surv(time, event) ~ subset, demo),
  sd_rows("aml", Surv(time, status) ~ x, aml),
  sd_rows("ovarian", Surv(futime, fustat) ~ rx, ovarian)
)
write.csv(sd, "ref_survdiff_rho.csv", row.names = FALSE)

# --- coxph, Efron and Breslow ties; 95 % Wald limits; the three tests of the model
cox_terms <- list()
cox_tests <- list()
cox_fit <- function(model, formula, data) {
  for (ties in c("efron", "breslow")) {
    fit <- coxph(formula, data = data, ties = ties)
    s <- summary(fit)
    print(s)
    key <- paste(model, ties)
    cf <- s$coefficients
    ci <- s$conf.int
    cox_terms[[key]] <<- data.frame(
      model = model, ties = ties, term = rownames(cf),
      coef = cf[, "coef"], se = cf[, "se(coef)"], hr = cf[, "exp(coef)"],
      lower = ci[, "lower .95"], upper = ci[, "upper .95"], z = cf[, "z"],
      p = cf[, "Pr(>|z|)"]
    )
    cox_tests[[key]] <<- data.frame(
      model = model, ties = ties, n = fit$n, n_events = fit$nevent,
      n_dropped = length(fit$na.action),
      loglik_null = fit$loglik[1], loglik = fit$loglik[2],
      lr = s$logtest["test"], lr_df = s$logtest["df"], lr_p = s$logtest["pvalue"],
      wald = fit$wald.test,  # summary() rounds it to 2 decimals
      wald_p = pchisq(fit$wald.test, s$waldtest["df"], lower.tail = FALSE),
      score = s$sctest["test"], score_p = s$sctest["pvalue"]
    )
  }
}
demo_na <- demo
demo_na$age_at_index[c(3, 10)] <- NA          # two rows dropped by na.omit
cox_fit("demo ~ subset", Surv(time, event) ~ subset, demo)
cox_fit("demo ~ subset + age_at_index", Surv(time, event) ~ subset + age_at_index, demo)
cox_fit("demo_na ~ subset + age_at_index", Surv(time, event) ~ subset + age_at_index, demo_na)
cox_fit("aml ~ x", Surv(time, status) ~ x, aml)
cox_fit("ovarian ~ rx", Surv(futime, fustat) ~ rx, ovarian)
write.csv(do.call(rbind, cox_terms), "ref_coxph.csv", row.names = FALSE)
write.csv(do.call(rbind, cox_tests), "ref_coxph_tests.csv", row.names = FALSE)
