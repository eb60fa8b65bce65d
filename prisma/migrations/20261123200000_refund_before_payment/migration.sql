-- AlterEnum
ALTER TYPE "PaymentStatus" ADD VALUE 'refund_before_payment';
