"""The live indicators of the strengthening plan: computed from Liaison's own data by a background job and kept as a
time series (`IndicatorSample`)."""
