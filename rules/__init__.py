"""The law as pure functions over plain values, each citing its clause; limits from the versioned rule sets.

Modules (one line each; ``tests/unit/test_module_maps.py`` keeps this list equal to the files):

- ``acceleration``: R-NO-ACCELERATION: no early repayment demand while an application is under review
- ``arrears``: R-NO-INTEREST-ON-ARREARS: overdue interest and penalties never earn interest
- ``assessment``: The assessment of an application (API.md ``Assessment``)
- ``borrower``: The borrower's circumstances the rules read (SPEC §3)
- ``calendar``: Calendar arithmetic the rules need: monthly due dates on a payment day
- ``citations``: The source of each rule (SPEC §3), one line per rule id
- ``collection``: R-COLLECTION-AGENCY: no interest or penalty for the time a collection agency holds the debt
- ``complaints``: The complaint register's law (SPEC §9)
- ``delinquency``: The delinquency notice and the borrower's window (LMF Art. 9-2 p.1-2)
- ``errors``: Errors the rules raise on bad input, naming the problem
- ``gesv_cap``: R-GESV-CAP: the restructured schedule's GESV within the cap in force (LMF Art. 5)
- ``ids``: Rule identifiers: the constants that appear in responses, notices and tests
- ``income``: Monthly incomes and their averages over the months before the application month (SPEC §3)
- ``income_drop``: R-INCOME-DROP: the borrower's income fell by more than 30% (LMF Art. 9-2 p.3)
- ``kdn``: R-KDN: the debt burden ratio (коэффициент долговой нагрузки), NBRK Res. 215
- ``mandatory``: R-MANDATORY: when the MFO must agree (LMF Art. 9-2 p.3; ARDFM Res. 49/2025)
- ``military``: R-MILITARY-SERVICE: a conscript's deferral for the service plus 60 days without interest
- ``no_worse``: R-NO-WORSE: a restructuring never raises the rate, adds fees or worsens terms
- ``numbers``: Exact rounding of ratios and money for display (SPEC §1): half-up, to the tiyn or to 4 places
- ``outcome``: The result every rule returns: id, outcome, figures, citation, explanation key
- ``payment_cut``: R-CUT-50: a payment cut is at least 50% of the scheduled instalment (LMF Art. 9-2 p.2)
- ``penalty``: R-PENALTY: penalties within the statutory caps (LMF Art. 6 p.3; Art. 7 p.3)
- ``plan_check``: Checks of a restructuring plan against the law, and its KDN and DTI at the assessed incomes
- ``recommend``: The recommended plan: a relief waterfall in the manner of Fannie Mae Flex Modification and HAMP
- ``ruleset``: Versioned rule sets (SPEC §3): the limits in force on a date, read from ``rulesets.json``
- ``short_loan``: Short loans (≤ 45 days, ≤ 45 MRP): the daily rate and GESV caps
- ``vulnerable``: Socially vulnerable groups (Housing Law Art. 68), in the statute's order
"""
