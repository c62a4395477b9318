-- AlterEnum
ALTER TYPE "RedemptionState" ADD VALUE 'flagged';
