# Reproduces the reference values used in tests/analysis/test_survival.py with R's
# survival package (the same numbers are in survival's own saved test output:
# tests/doaml.Rout.save and tests/Examples/survival-Ex.Rout.save).
library(survival)
options(digits = 10)
aml <- read.csv("aml.csv")
fit <- survfit(Surv(time, status) ~ x, data = aml)          # conf.type = "log"
print(summary(fit))
print(fit)                                                  # medians and their CIs
print(summary(survfit(Surv(time, status) ~ x, data = aml, conf.type = "log-log")))
print(summary(survfit(Surv(time, status) ~ x, data = aml, conf.type = "plain")))
print(survdiff(Surv(time, status) ~ x, data = aml))
ovarian <- read.csv("ovarian.csv")
print(survdiff(Surv(futime, fustat) ~ rx, data = ovarian))
print(summary(coxph(Surv(futime, fustat) ~ rx, data = ovarian, ties = "breslow"))$sctest)
# Proportions (Newcombe 1998, Table II): prop.test(correct = FALSE) and binom.test
for (kn in list(c(81, 263), c(15, 148), c(0, 20), c(1, 29), c(29, 29))) {
  print(prop.test(kn[1], kn[2], correct = FALSE)$conf.int)
  print(binom.test(kn[1], kn[2])$conf.int)
}
