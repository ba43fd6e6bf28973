# Reference values for cumulative_incidence and gray_test in
# tests/analysis/test_competing.py, computed with R's cmprsk::cuminc and saved as CSV
# (15 significant digits) so that the tests never need R. Run from this folder:
#   Rscript make_reference_cmprsk.R > make_reference_cmprsk.Rout
# Data: survival::mgus2 (1384 patients with MGUS), first event = progression to a plasma
# cell malignancy (cause 1) or death without progression (cause 2), else censored; time in
# months (ptime when progressed, else futime). Written to mgus2_cr.csv.
library(survival)
library(cmprsk)
options(digits = 10)
cat("R", R.version$major, ".", R.version$minor, "; cmprsk", format(packageVersion("cmprsk")),
    "; survival", format(packageVersion("survival")), "\n")
m <- survival::mgus2
d <- data.frame(
  time = ifelse(m$pstat == 1, m$ptime, m$futime),
  event = ifelse(m$pstat == 1, 1L, 2L * m$death),
  sex = as.character(m$sex),
  age_group = ifelse(m$age < 70, "lt70", "ge70")
)
write.csv(d, "mgus2_cr.csv", row.names = FALSE)

curves <- function(fit, data_name, grouping) {
  out <- list()
  for (nm in names(fit)) {
    if (nm == "Tests") next
    z <- fit[[nm]]
    parts <- strsplit(nm, " ")[[1]]
    # the value after each jump: the last row at each time
    keep <- !duplicated(z$time, fromLast = TRUE)
    out[[nm]] <- data.frame(
      data = data_name, grouping = grouping, group = parts[1], cause = parts[2],
      time = z$time[keep], est = z$est[keep], var = z$var[keep]
    )
  }
  do.call(rbind, out)
}
tests <- function(fit, data_name, grouping, rho) {
  tt <- fit$Tests
  data.frame(data = data_name, grouping = grouping, rho = rho, cause = rownames(tt),
             stat = tt[, "stat"], p = tt[, "pv"], df = tt[, "df"])
}

f0 <- cuminc(d$time, d$event)
print(f0)
f_sex <- cuminc(d$time, d$event, d$sex)
print(f_sex)
f_age <- cuminc(d$time, d$event, d$age_group)
print(f_age)
f_age1 <- cuminc(d$time, d$event, d$age_group, rho = 1)
# three groups, small sample with ties
set.seed(20260101)
n <- 120
s <- data.frame(time = round(rexp(n, 0.1), 0), event = sample(0:2, n, TRUE, c(0.3, 0.4, 0.3)),
                arm = sample(c("A", "B", "C"), n, TRUE))
write.csv(s, "sim3_cr.csv", row.names = FALSE)
f_sim <- cuminc(s$time, s$event, s$arm)
print(f_sim)

ref <- rbind(curves(f0, "mgus2", "none"), curves(f_sex, "mgus2", "sex"),
             curves(f_age, "mgus2", "age_group"), curves(f_sim, "sim3", "arm"))
write.csv(format(ref, digits = 15), "ref_cuminc.csv", row.names = FALSE, quote = FALSE)
gt <- rbind(tests(f_sex, "mgus2", "sex", 0), tests(f_age, "mgus2", "age_group", 0),
            tests(f_age1, "mgus2", "age_group", 1), tests(f_sim, "sim3", "arm", 0))
write.csv(format(gt, digits = 15), "ref_gray.csv", row.names = FALSE, quote = FALSE)
