-- Gold rules of an audit (`litehouse dq`, lh_dq_run()) see all of Gold.
DELETE FROM temp.dq_gold_hours;
DELETE FROM temp.dq_gold_users;
DELETE FROM temp.dq_gold_days;
INSERT INTO temp.dq_gold_hours SELECT event_date, event_hour, domain FROM gold_hourly_stats;
INSERT INTO temp.dq_gold_users SELECT event_date, user_name FROM gold_user_risk;
INSERT INTO temp.dq_gold_days SELECT event_date FROM gold_daily_summary;
