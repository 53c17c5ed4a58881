import Link from 'next/link';

export default function NotFound() {
  return (
    <>
      <title>Not found · Wharf</title>
      <h1>Page not found</h1>
      <p>
        There is nothing at this address. <Link href="/">Go to the home page</Link>.
      </p>
    </>
  );
}
