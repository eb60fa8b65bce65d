-- Failed-login counters of rate-limiter-flexible's Prisma store (src/auth/loginThrottle.ts), shared by
-- every server process on this database: a key per account and per client address, points = failures
-- in the window that ends at "expire".
CREATE TABLE "LoginThrottle" (
    "key" TEXT NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" TIMESTAMP(3),

    CONSTRAINT "LoginThrottle_pkey" PRIMARY KEY ("key")
);
