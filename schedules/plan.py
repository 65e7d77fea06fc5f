"""A restructuring plan applied to a loan snapshot: the scalar engine's exact algorithm (SPEC §1, §2, §4, §5).

This docstring is the definition the batch engine (``schedules/batch.py``) reproduces to the tiyn.

Units and bounds
----------------
* Money is integer tiyn (Python ``int``). Inputs must be whole tiyn (``E-INPUT-INVALID`` otherwise, never
  rounded).
* A rate is ``rate_ppm = rate_pct × 10^4`` (an int: rates have at most 4 decimals; the annual fraction is
  ``rate_ppm / 10^6``). Monthly rate ``r = rate_ppm / (12·10^6)``.
* ``half_up(n, d) = (2n + d) // (2d)`` for ``n ≥ 0``; ``floor(n, d) = n // d``.
* Bounds the engine enforces (``E-INPUT-OUT-OF-RANGE``): every amount and the total debt ≤ ``MAX_TIYN =
  2·10^10`` (200 000 000 KZT), ``0 ≤ rate_ppm ≤ 2·10^6`` (200 %), terms ≤ ``MAX_MONTHS = 600``. A period has
  ≤ 31 days, so ``2·balance·rate_ppm·days + 10^6·365 ≤ 2.5·10^18 < 2^62``: the interest numerator fits
  int64.

Interest of a period
--------------------
``interest(bal, days) = half_up(bal · rate_ppm · days, 10^6 · Y)`` with ``Y = 360`` (30E/360) or ``365``
(actual/365); ``days`` per ``schedules/calendar.py`` (30E: whole periods are exactly 30, so interest =
``r/12``).

Level payment (``schedules/annuity.py``)
-----------------------------------------
``level_payment(B, rate_ppm, n)``: with ``a = 12·10^6 + rate_ppm``, ``b = 12·10^6``, exactly ``half_up(B ·
rate_ppm · a^n, b · (a^n − b^n))`` (= half-up of ``B·r/(1−(1+r)^−n)``, the true value, exact rational
arithmetic); ``half_up(B, n)`` when ``rate_ppm = 0``. A float64 PMT gives the same result unless the true
value is within ~1e-6 tiyn of a half tiyn — recompute those exactly.

Debt split, forgiveness, settlement (in this order)
---------------------------------------------------
1. Buckets (tiyn): ``op`` overdue principal, ``oi`` overdue interest, ``pen`` penalties, ``cp`` outstanding
   (current) principal.
2. Forgiveness: each of ``op``, ``oi``, ``pen`` loses its forgiven amount (``"all"`` = the bucket). More
   than the bucket → ``E-FORGIVE-EXCEEDS``; negative → ``E-FORGIVE-NEGATIVE``.
3. Settlement (отступное, LMF Art. 6 p.1-1) ``V``: applied to ``op``, then ``oi``, then ``pen``, then
   ``cp``, each bucket taking ``min(left, bucket)``. ``V`` > the remaining debt →
   ``E-SETTLEMENT-EXCEEDS-DEBT``; ``V`` > the loan's ``collateral_value`` (when known) →
   ``E-SETTLEMENT-EXCEEDS-COLLATERAL``. With ``forgive_shortfall`` every bucket left after ``V`` is forgiven
   (nothing is rescheduled). ``forgive_shortfall`` without ``V`` is ignored.
4. ``B = op + cp`` (interest-bearing), ``A = oi + pen`` (arrears bucket, never bears interest). ``forgiven``
   (Totals) = everything removed in 2 and by ``forgive_shortfall``.

Terms
-----
* ``rate_ppm``: ``new_rate_pct`` or the loan's. Higher than the loan's → violation ``R-NO-WORSE`` (the
  schedule is still computed and returned, ``feasible=False``); negative → ``E-RATE-NEGATIVE``.
* ``d = deferral_months or 0``; ``deferral_of`` defaults to ``"principal"`` when ``d > 0``.
* ``n`` (amortising instalments, after the deferral) = ``remaining_term_months + (extra_months or 0)``, or
  with ``payment_cut_pct`` the value found below. Total instalments ``d + n``.
* ``d + n > max(max_term_months, remaining_term_months)`` → ``E-TERM-EXCEEDS-MAX`` (so the baseline is never
  flagged; the schedule is still returned, ``feasible=False``).
* Payment cut (0 < pct < 100, else ``E-PAYMENT-CUT-INVALID``): ``T = floor(scheduled_payment · (100 − pct) /
  100)`` to the tiyn (exact Decimal). ``A'`` = ``A`` plus the interest deferred by a
  ``principal_and_interest`` deferral (below, it does not depend on ``n``). ``f(n) = level_payment(B, rate,
  n) + floor(A', n)`` (for every method: the "level instalment" of SPEC §4; non-increasing in ``n``). ``n``
  = the smallest ``n ≥ n_min`` with ``f(n) ≤ T`` where ``n_min = remaining_term_months + extra_months`` when
  ``extra_months`` is given, else 1. None with ``n ≤ max_term_months − d`` → ``E-PAYMENT-CUT-INFEASIBLE``
  (empty schedule).
* ``n < 1`` with debt left → ``E-TERM-INVALID``.

Level amount of the method
--------------------------
The plan **keeps the contract's level amount** when it is "contract-preserving": same rate, same method, ``B
== outstanding_principal`` (no overdue principal, nothing forgiven or settled from principal), ``d == 0``,
no payment cut and ``n == remaining_term_months``. Then ``L = scheduled_payment`` (annuity, principal_first)
and the differentiated principal part is ``floor(principal, term_months)`` (the original contract's part).
Otherwise ``L = level_payment(B, rate, n)`` and the part is ``floor(B, n)``. This is why the baseline of a
plain loan started on its previous due date reproduces the contractual schedule exactly.

Schedule
--------
Due dates ``due_1..due_{d+n}`` and period days per ``schedules/calendar.py`` (plan's ``payment_day`` or the
loan's), first period from ``start_on``. ``bal = B``.

* Deferral lines ``k = 1..d``: ``I = interest(bal, days_k)``. ``principal``: payment ``I`` (interest-only);
  ``principal_and_interest``: payment 0 and ``deferred += I``. ``A' = A + deferred``. No arrears share is
  paid.
* Amortising lines ``j = 1..n`` (line number ``k = d + j``), ``I = interest(bal, days_k)``:
  - annuity: ``P = bal`` if ``j == n`` else ``min(bal, max(0, L − I))``; interest paid ``I``.
  - differentiated: ``P = bal`` if ``j == n`` else ``min(bal, part)``; interest paid ``I``.
  - principal_first: ``pot += I``; if ``j == n``: ``P = bal``, interest paid ``= pot``; else ``P = min(bal,
    L)``, interest paid ``= min(L − P, pot)``; ``pot −=`` interest paid. (Interest is shown in the
    ``interest`` column when it is paid.)
  - ``bal −= P``. **Truncation**: when ``B > 0`` and after line ``j`` ``bal == 0`` and (principal_first)
    ``pot == 0``, the schedule ends at ``j`` (``m = j``; normally ``m = n``). When ``B == 0``, ``m = n``
    (arrears only).
* Arrears shares over the ``m`` amortising lines: ``s = floor(A', m)`` on lines ``1..m−1``, the last gets
  ``A' − (m−1)·s``. Line: ``payment = P + interest paid + share``; ``balance = bal``.
* Nothing to schedule (``B == 0`` and ``A' == 0``): empty schedule, feasible.

Metrics and totals
------------------
* Totals: sums of the columns; ``forgiven`` as above.
* ``first_payment`` = line 1's payment (0 under a full deferral); ``max_regular_payment`` = max payment of
  lines ``1..N−1`` (line N's when N == 1); ``instalments`` = N (deferral lines included); ``maturity_on`` =
  due_N.
* ``payment_cut_pct = half_up((S − max_regular) · 10^4, S) / 100`` with ``S = scheduled_payment`` (signed,
  half away from zero; 0.00 when S == 0).
* GESV (``schedules/gesv.py``): amount ``S0 = B + A' − deferred − pen_left`` at t=0 (penalties excluded; the
  deferred interest is not an advance) and ``P_k = payment_k − penalty part_k`` at ``t_k = (due_k −
  start_on).days``. Arrears shares repay the bucket in the statutory order ``oi``, then ``pen``, then
  deferred interest: with cumulative shares ``c_j``, the penalty part of line j is ``max(0, min(c_j, oi+pen)
  − max(c_{j−1}, oi))``. Root ``i`` of ``Σ P_k (1+i)^(−t_k/365) = S0`` by float64 Newton on ``x = ln(1+i)``
  to ``|Δx| < 1e-15``; percent ``= Decimal(repr(100·i))`` quantized to 0.1 half-up. ``None`` when ``S0 ==
  0`` or no payments.
* NPV (``schedules/npv.py``) at annual ``δ`` (discount_rate_pct/100): ``v = 1 + δ/12``; ``τ_k =
  days30E(start_on, due_1)/30 + (k − 1)`` (months, 30E with the schedule's payment day, regardless of the
  loan's day count); ``npv = t0 + Σ payment_k · v^(−τ_k)`` in float64 summed in line order, then ``floor(x +
  0.5)`` tiyn. ``t0`` = settlement ``V`` for a plan. Contract (``schedules/contract.py``): ``t0 = op + oi +
  pen`` (overdue paid now) + the remaining contractual schedule = this algorithm on the snapshot with ``A =
  0``, ``B = outstanding_principal``, no changes (contract-preserving levels). ``concession = npv(contract)
  − npv(plan)``.

Infeasible plans return ``feasible=False`` with ``Violation``s; the schedule is empty unless stated above.
"""
