-- A CPFP child payout names the payout it pays for.
ALTER TABLE "gateway"."payouts" ADD COLUMN "pays_for_id" UUID;
