"""Amortisation engine: money, dates, schedules, plans, GESV and NPV. Pure: no web, no database, no clock.

Modules (one line each; ``tests/unit/test_module_maps.py`` keeps this list equal to the files):

- ``accrual``: What a plan reschedules besides the snapshot's buckets, and what the law keeps out of it
- ``amortise``: The integer core: one schedule in tiyn, by the algorithm in ``schedules/plan.py`` ("Schedule")
- ``annuity``: The level (annuity) payment, exact to the tiyn, and the payment-cut term search (SPEC §2, §4)
- ``batch``: The batch amortisation engine: the plan engine vectorised over many loans (SPEC §2)
- ``batch_arrays``: Loans and plans as the batch engine's structure-of-arrays input (SPEC §2)
- ``batch_block``: One block of the batch engine, stage by stage (the scalar ``_build`` over arrays; SPEC §2)
- ``batch_calendar``: Due dates and day counts of the batch engine as integer lookup tables (SPEC §2)
- ``batch_kernel``: The batch engine's kernels over arrays of loans
- ``batch_pmt``: The level payment ``PMT = B·r / (1 − (1+r)^−n)`` over arrays, exact to the tiyn (SPEC §1, §2)
- ``batch_result``: What the batch engine returns
- ``batch_start``: The start buckets and the unlawful-penalty excess of many loans at once, as int64 arrays
- ``batch_terms``: A block's checks, its plan terms and the debt split, over arrays
- ``calendar``: Due dates and day counts (SPEC §2)
- ``columns``: Stored loans as int64 columns, block by block, and the binary COPY stream's parsing
- ``contract``: The loan's contract from ``start_on``: its level amount, remaining schedule and NPV (SPEC §5)
- ``gesv``: GESV (годовая эффективная ставка вознаграждения, SPEC §5; regulation §4)
- ``limits``: The engine's input limits and check ids, shared by the scalar and the batch engines
- ``money``: Money: ``Decimal`` tenge with two places outside, integer tiyn (1/100 tenge) inside (SPEC §1)
- ``npv``: Lender NPV of a cash-flow schedule at the annual discount rate (SPEC §5)
- ``plan``: The scalar engine: a restructuring plan applied to a loan snapshot (SPEC §1, §2, §4, §5)
- ``plan_calendar``: A plan's calendar: due dates, period days, first-period 30E days and years, cached per loan
- ``plan_debt``: The scalar engine's debt split: the buckets on ``start_on``, forgiveness and settlement (SPEC §8)
- ``plan_inputs``: The scalar engine's input checks: a ``LoanSnapshot`` checked and converted to tiyn and rate_ppm
- ``plan_result``: A plan's result from its integer schedule: the lines, totals and metrics (SPEC §4, §5)
- ``portfolio``: One plan on a block of loans with the batch engine, and the lender's NPV and concession of each
- ``presets``: The plans the service always offers (SPEC §4), except the recommended plan (``rules/``)
- ``result``: The outputs of the engine: schedule lines, totals, metrics and violations
- ``terms``: The inputs of the engine: a loan snapshot and a restructuring plan's parameters (SPEC §2, §4)
"""
