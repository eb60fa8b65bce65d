-- AlterEnum
ALTER TYPE "DeliveryStatus" ADD VALUE 'ignored';
